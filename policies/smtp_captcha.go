package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// The guide's "SMTP and email" and "CAPTCHA and bot protection" sections.

var paramSAMLSSOOnly = policy.BoolParam{Name: "samlSsoOnly", Description: "The organization signs in " +
	"with SAML SSO only and needs no email: SMTP is optional."}

// SMTPConfigured asks for SMTP on the API.
var SMTPConfigured = &policy.Policy{
	Name:        "smtp-configured",
	DisplayName: "SMTP is configured",
	Description: "API containers (ECS task definitions and Kubernetes workloads) set SMTP_SERVER, " +
		"SMTP_USERNAME, SMTP_PASSWORD (from a secret) and SMTP_GENERIC_SENDER, unless the organization uses " +
		"SAML SSO only.",
	Section:   SMTP,
	Reference: refSMTP,
	Level:     policy.Advisory,
	Severity:  policy.Low,
	Remediation: "Set SMTP_SERVER (host:port), SMTP_USERNAME and SMTP_GENERIC_SENDER on the API container, " +
		"and SMTP_PASSWORD from a secret (ECS secrets; a Kubernetes secretKeyRef); or set this policy's config samlSsoOnly: true if sign-in is SAML SSO " +
		"only and no email is needed.",
	Params: []policy.Param{apiRole.paramDef(), paramSAMLSSOOnly.Param()},
	Stack:  checkSMTP,
}

func checkSMTP(ctx *policy.StackContext) {
	if paramSAMLSSOOnly.Get(ctx.Config) {
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
	Description: "API containers set RECAPTCHA_SECRET_KEY (from a secret) and Console containers " +
		"RECAPTCHA_SITE_KEY: sign-up protection needs both halves; one without the other breaks sign-up.",
	Section:   Captcha,
	Reference: refCaptcha,
	Level:     policy.Advisory,
	Severity:  policy.Low,
	Remediation: "Create a Cloudflare Turnstile widget; put its secret key in the API container's secrets as " +
		"RECAPTCHA_SECRET_KEY and its site key in the Console container's environment as RECAPTCHA_SITE_KEY " +
		"(the installers' recaptchaSecretKey and recaptchaSiteKey config).",
	Params: []policy.Param{apiRole.paramDef(), consoleRole.paramDef()},
	Stack:  checkCaptcha,
}

func checkCaptcha(ctx *policy.StackContext) {
	type half struct {
		c        workload.Container
		set      bool
		unknown  bool // set to a value not known until update (noted)
		variable string
	}
	var halves []half
	apiSet, consoleSet, maybe := 0, 0, 0
	for _, c := range containersOf(ctx, apiRole, consoleRole) {
		variable := "RECAPTCHA_SITE_KEY"
		if apiRole.matches(ctx, c) {
			variable = "RECAPTCHA_SECRET_KEY"
		}
		// A key in plain text counts as set: the secrets policy reports it.
		// One whose value is not known until update may be empty: noted.
		s := lookup(c, variable)
		set := s.set() && !s.unknown
		switch {
		case s.unknown:
			s.noteUnknown(ctx, c)
			maybe++
		case set && variable == "RECAPTCHA_SECRET_KEY":
			apiSet++
		case set:
			consoleSet++
		case c.Unseen():
			maybe++
		}
		halves = append(halves, half{c, set, s.unknown, variable})
	}
	missing := func(h half, format string, args ...any) {
		reportMissing(ctx, h.c, h.variable, "", format, args...)
	}
	switch {
	case len(halves) == 0:
	case apiSet == 0 && consoleSet == 0 && maybe > 0:
		for _, h := range halves {
			if h.c.Unseen() {
				missing(h, "")
			}
		}
	case apiSet == 0 && consoleSet == 0:
		ctx.Violationf(nil, "CAPTCHA is not configured: no API container sets RECAPTCHA_SECRET_KEY and no "+
			"Console container sets RECAPTCHA_SITE_KEY, so sign-up has no bot protection")
	default:
		for _, h := range halves {
			if h.set || h.unknown {
				continue
			}
			// Name only what the pack saw set: the other half, or the same
			// variable on another container of the same role.
			other, role, counterpart := "the Console's RECAPTCHA_SITE_KEY is set", "API", consoleSet
			if h.variable == "RECAPTCHA_SITE_KEY" {
				other, role, counterpart = "the API's RECAPTCHA_SECRET_KEY is set", "Console", apiSet
			}
			if counterpart == 0 {
				missing(h, "%s does not set %s, though another %s container of the stack does: CAPTCHA is "+
					"configured on some of them only, and sign-up fails or goes unprotected on the others",
					h.c.Label, h.variable, role)
				continue
			}
			missing(h, "%s does not set %s, though %s: CAPTCHA is half-configured, and sign-up fails or goes "+
				"unprotected", h.c.Label, h.variable, other)
		}
	}
}
