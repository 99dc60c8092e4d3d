using Studio.Host.Security;
using Studio.Host.Tenancy;
using Studio.Security;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The classic XSS vectors against the rich-text and CSS policies.</summary>
public sealed class ContentSanitizerTests
{
    private static readonly IContentSanitizer Sanitizer = new ContentSanitizer();

    [Theory]
    [InlineData("<p>ok</p><script>alert(1)</script>", "<script")]
    [InlineData("<p>ok</p><SCRIPT SRC=https://evil.test/x.js></SCRIPT>", "evil.test")]
    [InlineData("<img src=\"/a.png\" onerror=\"alert(1)\">", "onerror")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:")]
    [InlineData("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "alert")]
    [InlineData("<a href=\"&#106;avascript:alert(1)\">x</a>", "alert")]
    [InlineData("<svg onload=\"alert(1)\"><circle r=\"1\"/></svg>", "onload")]
    [InlineData("<iframe src=\"https://evil.test\"></iframe>", "iframe")]
    [InlineData("<object data=\"x.swf\"></object><embed src=\"x.swf\">", "swf")]
    [InlineData("<p style=\"width: expression(alert(1))\">x</p>", "expression")]
    [InlineData("<div style=\"background: url(javascript:alert(1))\">x</div>", "javascript")]
    [InlineData("<img src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">", "data:")]
    [InlineData("<form action=\"https://evil.test\"><input name=\"p\"><button>Go</button></form>", "evil.test")]
    [InlineData("<style>p{color:red}</style><p>x</p>", "<style")]
    [InlineData("<p>x</p><meta http-equiv=\"refresh\" content=\"0;url=https://evil.test\">", "refresh")]
    public void Rich_text_loses_what_can_run_script(string html, string forbidden)
    {
        var clean = Sanitizer.SanitizeHtml(html);
        Assert.DoesNotContain(forbidden, clean, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rich_text_keeps_ordinary_formatting_and_safe_links()
    {
        var html = "<h2>Title</h2><p>Some <strong>bold</strong> and <em>italic</em>, a <a href=\"https://example.test/a?b=1&amp;c=2\">link</a>, "
                   + "<a href=\"mailto:hi@example.test\">mail</a>, <a href=\"/relative\">here</a>.</p><ul><li>one</li></ul><img src=\"https://cdn.example.test/x.png\" alt=\"x\">";
        var clean = Sanitizer.SanitizeHtml(html);
        Assert.Equal(html, clean);
    }

    [Theory]
    [InlineData("p{color:red}</style><script>alert(1)</script>", "script")]
    [InlineData("p{color:red}</STYLE><img src=x onerror=alert(1)>", "onerror")]
    [InlineData("@import url(https://evil.example/x.css); p{color:red}", "@import")]
    [InlineData("@import 'https://evil.example/x.css'; p{color:red}", "evil")]
    [InlineData("body{background:url(javascript:alert(1))}", "javascript")]
    [InlineData("body{background:url('JAVASCRIPT:alert(1)')}", "alert")]
    [InlineData("p{width:expression(alert(1))}", "expression")]
    [InlineData("p{behavior:url(x.htc)}", "htc")]
    [InlineData("p{-moz-binding:url(https://evil.example/x.xml#x)}", "binding")]
    [InlineData(".a{background:url(data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)}", "data:")]
    [InlineData(".a{background:url(http://plain.example/x.png)}", "plain.example")]
    [InlineData("p{content:'\\3c/style\\3e'}", "<")]
    public void Custom_css_loses_what_can_load_script_or_leave_the_stylesheet(string css, string forbidden)
    {
        var clean = Sanitizer.SanitizeCss(css);
        Assert.DoesNotContain(forbidden, clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("</style", clean, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Custom_css_keeps_ordinary_rules_media_queries_and_custom_properties()
    {
        var clean = Sanitizer.SanitizeCss(".hero { letter-spacing: 1px; } @media (min-width: 40rem) { .cards { gap: 2rem; } } .x { --brand-gap: 3px; margin: var(--brand-gap); background-image: url(https://cdn.example.test/bg.png) }");
        Assert.Contains(".hero { letter-spacing: 1px }", clean);
        Assert.Contains("@media (min-width: 40rem)", clean);
        Assert.Contains(".cards { gap: 2rem }", clean);
        Assert.Contains("--brand-gap: 3px", clean);
        Assert.Contains("url(\"https://cdn.example.test/bg.png\")", clean);
        Assert.Equal(clean, Sanitizer.SanitizeCss(clean)); // stable: saving again changes nothing
    }
}

/// <summary>A brand's custom CSS is sanitized when saved and again when served as /brand.css.</summary>
public sealed class BrandCssSanitizingTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Custom_css_that_passes_validation_is_stored_sanitized()
    {
        var tenant = await CreateTenantAsync(configure: r => r with
        {
            Brand = new BrandSettings { CustomCss = ".a { background: url(data:image/svg+xml;base64,PHN2Zz4=) } .b { color: #ff0000; }" },
        });
        var stored = (await RecordAsync(tenant.Name)).Brand.CustomCss!;
        Assert.DoesNotContain("data:", stored);
        Assert.Contains(".b {", stored);
        var css = await GetStringAsync(tenant.Client, "brand.css");
        Assert.DoesNotContain("data:", css);
        Assert.Contains(".b {", css);
    }

    [Fact]
    public async Task Custom_css_written_around_the_tenant_service_is_sanitized_when_served()
    {
        var tenant = await CreateTenantAsync();
        // As an older version, or someone editing the store, might have left it.
        var record = await RecordAsync(tenant.Name);
        var saved = await Factory.Get<ITenantStore>().UpdateAsync(record with
        {
            Brand = record.Brand with { CustomCss = ".a { background: url(http://tracker.example/p.gif) } .b { color: #00ff00; }" },
        });
        Factory.Shells.Apply(saved);

        var css = await GetStringAsync(tenant.Client, "brand.css");
        Assert.DoesNotContain("tracker.example", css);
        Assert.Contains(".b {", css);
    }
}
