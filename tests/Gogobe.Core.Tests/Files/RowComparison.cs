using System.Collections;
using System.Reflection;

namespace Gogobe.Core.Tests.Files;

/// <summary>Compares rows property by property (lists element by element), naming the first field that differs.</summary>
internal static class RowComparison
{
    public static void AssertSameRows<T>(IReadOnlyList<T> expected, IReadOnlyList<T> actual)
        where T : class
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var want = property.GetValue(expected[i]);
                var got = property.GetValue(actual[i]);
                if (want is IEnumerable wantList and not string && got is IEnumerable gotList and not string)
                {
                    var a = wantList.Cast<object?>().ToList();
                    var b = gotList.Cast<object?>().ToList();
                    Assert.True(a.SequenceEqual(b), $"row {i} {property.Name}: expected [{string.Join(", ", a)}] but got [{string.Join(", ", b)}]");
                }
                else
                {
                    Assert.True(Equals(want, got), $"row {i} {property.Name}: expected <{want}> but got <{got}>");
                }
            }
        }
    }
}
