using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Studio.Modules.TwoFactor.Settings;

/// <summary>Who must use two-factor authentication on a tenant.</summary>
public enum TwoFactorPolicy
{
    /// <summary>Each user chooses.</summary>
    Optional,
    /// <summary>Staff (owner, admin, engineer, front desk) are taken to enrolment until they have it.</summary>
    RequiredForStaff,
}

/// <summary>Per-tenant two-factor settings (tenant settings section <c>TwoFactor</c>).</summary>
public sealed class TwoFactorSettings
{
    /// <summary>The settings section name.</summary>
    public const string Section = "TwoFactor";

    /// <summary>Who must use two-factor authentication.</summary>
    public TwoFactorPolicy Policy { get; set; } = TwoFactorPolicy.Optional;

    /// <summary>Days a device ticked "Remember this device" skips the second step; 0 turns the option off.</summary>
    public int RememberDeviceDays { get; set; } = 30;

    /// <summary>The remembered-device lifetime, or null when the option is off.</summary>
    public TimeSpan? RememberDevice => RememberDeviceDays > 0 ? TimeSpan.FromDays(Math.Min(RememberDeviceDays, 3650)) : null;

    /// <summary>
    /// Reads the tenant's section without ever failing its activation: an unknown policy is taken as
    /// <see cref="TwoFactorPolicy.RequiredForStaff"/> (a typo must not silently switch the requirement off), and an
    /// unreadable or negative day count as the default.
    /// </summary>
    public static TwoFactorSettings From(IConfiguration section)
    {
        var settings = new TwoFactorSettings();
        var policy = section[nameof(Policy)];
        if (!string.IsNullOrWhiteSpace(policy))
            settings.Policy = Enum.TryParse<TwoFactorPolicy>(policy.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed : TwoFactorPolicy.RequiredForStaff;
        if (int.TryParse(section[nameof(RememberDeviceDays)], NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) && days >= 0)
            settings.RememberDeviceDays = days;
        return settings;
    }
}
