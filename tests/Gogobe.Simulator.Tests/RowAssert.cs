using System.Collections;
using System.Reflection;

namespace Gogobe.Simulator.Tests;

/// <summary>Field-by-field comparison of typed rows (every public property; lists compared element by element).</summary>
internal static class RowAssert
{
    /// <summary>The differences between two row lists, as readable lines (empty when equal).</summary>
    public static List<string> Differences<T>(string file, IReadOnlyList<T> expected, IReadOnlyList<T> actual)
        where T : class
    {
        var differences = new List<string>();
        if (expected.Count != actual.Count)
        {
            differences.Add($"{file}: expected {expected.Count} rows, read {actual.Count}");
        }

        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            foreach (var property in properties)
            {
                var want = property.GetValue(expected[i]);
                var got = property.GetValue(actual[i]);
                if (!Same(want, got))
                {
                    differences.Add($"{file} row {i} {property.Name}: expected <{Show(want)}>, read <{Show(got)}>");
                }
            }
        }

        return differences;
    }

    private static bool Same(object? want, object? got)
    {
        if (want is IEnumerable wantList and not string && got is IEnumerable gotList and not string)
        {
            return wantList.Cast<object?>().SequenceEqual(gotList.Cast<object?>());
        }

        return Equals(want, got);
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        IEnumerable list and not string => "[" + string.Join(", ", list.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
