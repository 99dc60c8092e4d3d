using Studio.Themes;

[assembly: Theme("Midnight", "Midnight", BaseTheme = "Aurora", Description = "A dark theme for late-night studios; extends Aurora.")]
