package policies

import (
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// apiWithoutCaptcha is hardenedAPI without RECAPTCHA_SECRET_KEY.
func apiWithoutCaptcha() m {
	return withSecrets(container("api", apiImage, []string{"API_TLS_CERTIFICATE", "-----BEGIN CERTIFICATE-----",
		"API_MIN_TLS_VERSION", "1.2", "DATABASE_CA_CERTIFICATE", "-----BEGIN CERTIFICATE-----",
		"DATABASE_MIN_TLS_VERSION", "1.3", "SMTP_SERVER", "smtp.example.com:587", "SMTP_USERNAME", "u",
		"SMTP_GENERIC_SENDER", "noreply@example.com"}, "API_TLS_PRIVATE_KEY", "SMTP_PASSWORD"),
		"PULUMI_LICENSE_KEY", "PULUMI_DATABASE_USER_PASSWORD")
}

// TestCaptchaMessagesNameWhatWasSeen: issue 18, class 7. A finding names
// only what the pack saw: in a stack with no Console container, an API
// container without the secret key is not told the Console's site key is
// set.
func TestCaptchaMessagesNameWhatWasSeen(t *testing.T) {
	cases := []struct {
		name   string
		rs     []*fixture.Res
		target string
		want   []fixture.Want
		absent string // a phrase no finding may hold
	}{
		{name: "two api containers, no console", target: "worker-td",
			rs: []*fixture.Res{taskDef("api-td", apiContainer()), taskDef("worker-td", apiWithoutCaptcha())},
			want: []fixture.Want{advisoryVio(`containerDefinitions[0] ("api") does not set RECAPTCHA_SECRET_KEY, ` +
				`though another API container of the stack does`)},
			absent: "Console"},
		{name: "api without the key, console with it", target: "api-td",
			rs: []*fixture.Res{taskDef("api-td", apiWithoutCaptcha()), taskDef("ui-td", consoleContainer())},
			want: []fixture.Want{advisoryVio(`does not set RECAPTCHA_SECRET_KEY, though the Console's ` +
				`RECAPTCHA_SITE_KEY is set`)}},
		{name: "console without the key, api with it", target: "ui-td",
			rs: []*fixture.Res{taskDef("api-td", apiContainer()), taskDef("ui-td", container("console", consoleImage,
				[]string{"CONSOLE_TLS_CERTIFICATE", pemCert}, "CONSOLE_TLS_PRIVATE_KEY"))},
			want: []fixture.Want{advisoryVio(`does not set RECAPTCHA_SITE_KEY, though the API's ` +
				`RECAPTCHA_SECRET_KEY is set`)}},
		{name: "one api container with the key, no console", target: "api-td",
			rs: []*fixture.Res{taskDef("api-td", apiContainer())}},
	}
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				fs := fixture.Run(t, CaptchaConfigured, mode, nil, nil, c.rs...)
				fixture.Check(t, fixture.Only(fs, c.target), c.want...)
				checkElsewhere(t, fs, c.target, nil)
				for _, f := range fs {
					// What the finding states, before the policy's Why and Fix.
					if said, _, _ := strings.Cut(f.Message, "\nWhy:"); c.absent != "" && strings.Contains(said, c.absent) {
						t.Errorf("the finding names %q, which the stack does not have: %s", c.absent, f.Message)
					}
				}
			})
		}
	}
}
