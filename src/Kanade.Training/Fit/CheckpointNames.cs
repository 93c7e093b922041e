// Lightning ModelCheckpoint's file-name templates: "{epoch}-{step}", "step={step}-loss={val/gen/mel_l1:.4f}".
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kanade.Training.Fit;

/// <summary>Formats a ModelCheckpoint <c>filename</c> template with the epoch, step and logged metrics.</summary>
public static partial class CheckpointNames
{
    /// <summary>Lightning's default template.</summary>
    public const string DefaultTemplate = "{epoch}-{step}";

    [GeneratedRegex(@"\{([^{}:]+)(?::([^{}]*))?\}")]
    private static partial Regex Field();

    /// <summary>
    /// Replaces each <c>{name}</c> or <c>{name:spec}</c> (Python format specs <c>.4f</c>, <c>d</c>, <c>05d</c>, <c>.3e</c>) by
    /// its value; with <paramref name="autoInsertMetricName"/> a field becomes <c>name=value</c>; a name without a value
    /// becomes <c>nan</c> (a metric not logged yet). Slashes in the result become underscores
    /// so a metric name cannot make folders.
    /// </summary>
    public static string Format(string? template, IReadOnlyDictionary<string, double> values, bool autoInsertMetricName)
    {
        string text = Field().Replace(template ?? DefaultTemplate, match =>
        {
            string name = match.Groups[1].Value.Trim();
            string spec = match.Groups[2].Success ? match.Groups[2].Value : "";
            string value = values.TryGetValue(name, out double v) ? FormatValue(v, spec) : "nan";
            return autoInsertMetricName ? $"{name}={value}" : value;
        });
        return text.Replace('/', '_').Replace('\\', '_');
    }

    static string FormatValue(double value, string spec)
    {
        if (spec.Length == 0)
            return value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
        char kind = spec[^1];
        string body = spec[..^1];
        int precision = body.Contains('.') && int.TryParse(body[(body.IndexOf('.') + 1)..], out int p) ? p : 6;
        int width = int.TryParse(body.Split('.')[0].TrimStart('0') is { Length: > 0 } w ? w : "0", out int parsedWidth) ? parsedWidth : 0;
        bool zeroPad = body.StartsWith('0');
        string formatted = kind switch
        {
            'f' or 'F' => value.ToString("F" + precision, CultureInfo.InvariantCulture),
            'e' or 'E' => PythonExponent(value, precision, kind),
            'd' => ((long)value).ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };
        if (formatted.Length < width)
            formatted = zeroPad ? (formatted.StartsWith('-') ? "-" + formatted[1..].PadLeft(width - 1, '0') : formatted.PadLeft(width, '0'))
                                : formatted.PadLeft(width);
        return formatted;
    }

    // Python writes 1.235e-04: at least two exponent digits.
    static string PythonExponent(double value, int precision, char kind)
    {
        string s = value.ToString((kind == 'e' ? "e" : "E") + precision, CultureInfo.InvariantCulture);
        int e = s.IndexOfAny(['e', 'E']);
        string mantissa = s[..e];
        char sign = s[e + 1];
        string digits = s[(e + 2)..].TrimStart('0');
        var result = new StringBuilder(mantissa).Append(s[e]).Append(sign).Append(digits.PadLeft(2, '0'));
        return result.ToString();
    }
}
