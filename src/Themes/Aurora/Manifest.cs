using Studio.Themes;

[assembly: Theme("Aurora", "Aurora", Description = "A light, warm theme with a bold header — the default for new studios.")]
