namespace Gogobe.Simulator.Model;

/// <summary>How a product is measured: the unit words real files use and the basis of UnitOfMeasurePrice.</summary>
internal sealed record Measure(string UnitQty, string UnitOfMeasure, decimal PerUnits, string Short);

/// <summary>A product type of the national catalogue: a Hebrew name, its measure, usual sizes and a typical shelf price.</summary>
internal sealed record ProductType(string Name, Measure Measure, decimal[] Sizes, decimal TypicalPrice);

/// <summary>The Hebrew vocabulary the simulated files are written in.</summary>
internal static class Words
{
    public static readonly Measure Grams = new("גרמים", "100 גרם", 100m, "גרם");
    public static readonly Measure Millilitres = new("מיליליטרים", "100 מ\"ל", 100m, "מ\"ל");
    public static readonly Measure Litres = new("ליטר", "1 ליטר", 1m, "ליטר");
    public static readonly Measure Units = new("יחידה", "1 יחידה", 1m, "יח'");
    public static readonly Measure Kilos = new("קילוגרמים", "1 ק\"ג", 1m, "ק\"ג");

    public static readonly ProductType[] Types =
    [
        new("חלב 3%", Litres, [1m, 2m], 6.9m),
        new("משקה חלב", Millilitres, [250m, 1000m], 7.5m),
        new("יוגורט", Grams, [150m, 200m, 500m], 4.9m),
        new("גבינה לבנה", Grams, [250m, 500m], 6.5m),
        new("גבינה צהובה", Grams, [200m, 400m], 19.9m),
        new("קוטג'", Grams, [250m], 5.9m),
        new("חמאה", Grams, [100m, 200m], 8.9m),
        new("לחם אחיד", Grams, [750m], 8.5m),
        new("פיתות", Units, [5m, 10m], 7.9m),
        new("אורז בסמטי", Grams, [1000m], 11.9m),
        new("פסטה", Grams, [500m], 5.9m),
        new("קמח לבן", Grams, [1000m], 5.5m),
        new("סוכר לבן", Grams, [1000m], 4.9m),
        new("שמן קנולה", Litres, [1m], 10.9m),
        new("שמן זית כתית", Millilitres, [500m, 750m], 34.9m),
        new("קפה נמס", Grams, [100m, 200m], 29.9m),
        new("קפה טחון", Grams, [250m], 17.9m),
        new("תה", Units, [25m, 50m], 12.9m),
        new("שוקולד חלב", Grams, [100m], 5.9m),
        new("ביסקוויטים", Grams, [200m, 400m], 8.9m),
        new("במבה", Grams, [25m, 80m], 4.9m),
        new("חטיף תפוצ'יפס", Grams, [50m, 200m], 6.9m),
        new("דגני בוקר", Grams, [375m, 500m], 17.9m),
        new("טחינה גולמית", Grams, [500m], 14.9m),
        new("חומוס", Grams, [400m], 7.9m),
        new("רסק עגבניות", Grams, [100m], 2.9m),
        new("טונה בשמן", Grams, [160m], 6.9m),
        new("תירס מתוק", Grams, [340m], 5.5m),
        new("מים מינרליים", Litres, [1.5m, 6m], 3.9m),
        new("משקה קולה", Litres, [1.5m], 7.9m),
        new("מיץ תפוזים", Litres, [1m], 11.9m),
        new("בירה", Millilitres, [330m, 500m], 7.9m),
        new("ביצים L", Units, [12m, 30m], 13.9m),
        new("נייר טואלט", Units, [32m], 44.9m),
        new("אבקת כביסה", Grams, [2000m], 39.9m),
        new("נוזל כלים", Millilitres, [750m], 9.9m),
        new("שמפו", Millilitres, [700m], 19.9m),
        new("משחת שיניים", Millilitres, [100m], 12.9m),
        new("חיתולים", Units, [40m], 54.9m),
        new("מזון לחתולים", Grams, [1500m], 32.9m),
    ];

    public static readonly string[] Variants =
    [
        "", "", "", "קלאסי", "לייט", "מהדרין", "ללא גלוטן", "בטעם וניל", "משפחתי", "אורגני", "מארז חסכון", "ללא סוכר", "מועשר", "טבעי",
    ];

    public static readonly string[] Manufacturers =
    [
        "תנובה", "שטראוס", "אסם", "עלית", "תלמה", "יטבתה", "טרה", "סוגת", "וילי פוד", "פרי גליל", "זוגלובק", "החברה המרכזית",
        "יוניליוור", "פרוקטר אנד גמבל", "נביעות", "מחלבות גד", "דיפלומט", "כרמית", "מאפיות אנג'ל", "ברמן", "שופרסל", "לא ידוע",
    ];

    public static readonly string[] Countries = ["ישראל", "ישראל", "ישראל", "ישראל", "ישראל", "ישראל", "איטליה", "גרמניה", "טורקיה", "ספרד", "הולנד", "תאילנד", "ארה\"ב"];

    public static readonly string[] Produce =
    [
        "עגבניות", "מלפפונים", "בננות", "תפוחי עץ גרני סמית", "גזר", "בצל יבש", "תפוחי אדמה", "אבטיח", "פלפל אדום", "לימון", "חסה",
        "קישואים", "אבוקדו", "תפוזים", "ענבים ירוקים", "שזיפים", "אפרסקים", "כרובית", "חציל", "בטטה", "חזה עוף טרי", "כרעיים עוף",
        "בשר טחון", "סלמון טרי", "גבינת פטה במשקל", "זיתים ירוקים במשקל", "חלווה במשקל",
    ];

    public static readonly string[] Cities =
    [
        "ירושלים", "תל אביב-יפו", "חיפה", "באר שבע", "אשדוד", "נתניה", "ראשון לציון", "פתח תקווה", "חולון", "בני ברק", "רמת גן",
        "אשקלון", "רחובות", "בית שמש", "כפר סבא", "מודיעין", "הרצליה", "חדרה", "נצרת", "רעננה", "אילת", "טבריה", "עפולה", "קריית גת",
    ];

    public static readonly string[] Areas = ["מרכז", "צפון", "דרום", "קניון", "עיר", "גבעה", "נווה", "כיכר", "תחנה מרכזית", "אזור התעשייה"];

    public static readonly string[] Streets = ["הרצל", "ז'בוטינסקי", "בן גוריון", "ויצמן", "רוטשילד", "העצמאות", "הנביאים", "יפו", "הבנים", "אלנבי", "דרך השלום", "המלאכה"];
}
