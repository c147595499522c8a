package policies

import (
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// The guide's "SMTP and email" and "CAPTCHA and bot protection" sections.

// SMTPConfigured asks for SMTP on the API.
var SMTPConfigured = &policy.Policy{
	Name:        "smtp-configured",
	DisplayName: "SMTP is configured",
	Description: "API containers set SMTP_SERVER, SMTP_USERNAME, SMTP_PASSWORD (through secrets) and " +
		"SMTP_GENERIC_SENDER, unless the organization uses SAML SSO only.",
	Section:  policy.SMTP,
	Level:    policy.Advisory,
	Severity: policy.Low,
	Remediation: "Set SMTP_SERVER (host:port), SMTP_USERNAME and SMTP_GENERIC_SENDER on the API container, " +
		"and SMTP_PASSWORD in its secrets; or set this policy's config samlSsoOnly: true if sign-in is SAML SSO " +
		"only and no email is needed.",
	Params: []policy.Param{apiRole.paramDef(),
		{Name: "samlSsoOnly", Type: policy.Bool, Description: "The organization signs in with SAML SSO only " +
			"and needs no email: SMTP is optional."}},
	Types:    []string{taskdef.Type},
	Resource: checkSMTP,
}

func checkSMTP(ctx *policy.ResourceContext) {
	if ctx.Config.Bool("samlSsoOnly") {
		return
	}
	for _, c := range containersOf(ctx, apiRole) {
		requireVars(ctx, c, []string{"SMTP_SERVER", "SMTP_USERNAME", "SMTP_GENERIC_SENDER"}, []string{"SMTP_PASSWORD"})
	}
}

// CaptchaConfigured asks for Turnstile (the recaptcha settings) on both the
// API and the Console.
var CaptchaConfigured = &policy.Policy{
	Name:        "captcha-configured",
	DisplayName: "CAPTCHA (Turnstile) is configured on the API and the Console",
	Description: "API containers set RECAPTCHA_SECRET_KEY (through secrets) and Console containers " +
		"RECAPTCHA_SITE_KEY: sign-up protection needs both halves; one without the other breaks sign-up.",
	Section:  policy.Captcha,
	Level:    policy.Advisory,
	Severity: policy.Low,
	Remediation: "Create a Cloudflare Turnstile widget; put its secret key in the API container's secrets as " +
		"RECAPTCHA_SECRET_KEY and its site key in the Console container's environment as RECAPTCHA_SITE_KEY " +
		"(the installers' recaptchaSecretKey and recaptchaSiteKey config).",
	Params: []policy.Param{apiRole.paramDef(), consoleRole.paramDef()},
	Stack:  checkCaptcha,
}

func checkCaptcha(ctx *policy.StackContext) {
	type half struct {
		td       *graph.Resource
		c        taskdef.Container
		set      bool
		variable string
	}
	var halves []half
	apiSet, consoleSet, maybe := 0, 0, 0
	for _, td := range ctx.Graph.OfType(taskdef.Type) {
		cs, _ := taskdef.Parse(ctx.Read(td))
		for _, c := range cs {
			variable := ""
			switch {
			case apiRole.matches(ctx.Config, c):
				variable = "RECAPTCHA_SECRET_KEY"
			case consoleRole.matches(ctx.Config, c):
				variable = "RECAPTCHA_SITE_KEY"
			default:
				continue
			}
			// A key in the plain environment counts as set: the secrets
			// policy reports it.
			set := lookup(c, variable).set()
			switch {
			case set && variable == "RECAPTCHA_SECRET_KEY":
				apiSet++
			case set:
				consoleSet++
			case len(c.EnvFiles) > 0:
				maybe++
			}
			halves = append(halves, half{td, c, set, variable})
		}
	}
	unverifiable := func(h half) {
		ctx.Unverifiablef(h.td, "cannot be verified: %s does not set %s; its environmentFiles (%s) may set "+
			"it, and the pack cannot read them", h.c.Label(), h.variable,
			strings.Join(h.c.EnvFiles, ", "))
	}
	switch {
	case len(halves) == 0:
	case apiSet == 0 && consoleSet == 0 && maybe > 0:
		for _, h := range halves {
			if len(h.c.EnvFiles) > 0 {
				unverifiable(h)
			}
		}
	case apiSet == 0 && consoleSet == 0:
		ctx.Violationf(nil, "CAPTCHA is not configured: no API container sets RECAPTCHA_SECRET_KEY and no "+
			"Console container sets RECAPTCHA_SITE_KEY, so sign-up has no bot protection")
	default:
		for _, h := range halves {
			switch {
			case h.set:
			case len(h.c.EnvFiles) > 0:
				unverifiable(h)
			default:
				other := "the Console's RECAPTCHA_SITE_KEY is set"
				if h.variable == "RECAPTCHA_SITE_KEY" {
					other = "the API's RECAPTCHA_SECRET_KEY is set"
				}
				ctx.Violationf(h.td, "%s does not set %s, though %s: CAPTCHA is half-configured, and sign-up "+
					"fails or goes unprotected", h.c.Label(), h.variable, other)
			}
		}
	}
}
