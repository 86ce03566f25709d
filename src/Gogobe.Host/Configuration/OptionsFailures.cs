using System.Globalization;

namespace Gogobe.Host.Configuration;

/// <summary>Collects validation failures, each one sentence naming the setting by its full configuration key.</summary>
internal sealed class OptionsFailures
{
    private readonly List<string> _failures = [];

    public void AtLeast(string key, long value, long minimum)
    {
        if (value < minimum)
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be at least {minimum} (was {value})."));
        }
    }

    public void Add(string failure) => _failures.Add(failure);

    public Microsoft.Extensions.Options.ValidateOptionsResult ToResult() =>
        _failures.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(_failures);
}
