package e2e

// What the AKS, GKE and byo-infra end-to-end tests share (aks_test.go,
// gke_test.go, byo_test.go): the stand-in providers for azure-native, gcp
// and random (test doubles: internal/e2e/fakeazure, fakegcp, fakerandom)
// installed beside the stand-in aws and kubernetes ones in the one shared
// CLI world, and the expected findings of a violating program as data.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

// standIns are the stand-in providers the platform programs need beyond
// aws and kubernetes: package, the version the programs ask for, and the
// test double's package.
var standIns = []struct{ name, version, pkg string }{
	{"azure-native", programs.AzureNativeVersion, "./internal/e2e/fakeazure"},
	{"gcp", programs.GCPVersion, "./internal/e2e/fakegcp"},
	{"random", programs.RandomVersion, "./internal/e2e/fakerandom"},
}

var (
	cloudOnce sync.Once
	cloudErr  error
)

// setupPlatforms is setupEKS plus the azure-native, gcp and random stand-ins
// installed in the shared world's PULUMI_HOME, once.
func setupPlatforms(t *testing.T) *world {
	t.Helper()
	w := setupEKS(t)
	cloudOnce.Do(func() {
		cloudErr = errors.New("the stand-in providers were not built") // stays if Build fails the test
		for _, p := range standIns {
			bin := testbin.Build(t, p.pkg, "pulumi-resource-"+p.name)
			if out, err := w.Run(w.Dir, "plugin", "install", "resource", p.name, p.version, "--file", bin); err != nil {
				cloudErr = fmt.Errorf("%s: %v\n%s", p.name, err, out)
				return
			}
		}
		cloudErr = nil
	})
	if cloudErr != nil {
		t.Fatalf("installing the stand-in providers: %v", cloudErr)
	}
	return w
}

// platform is one program of the end-to-end tests, violating or hardened.
type platform struct {
	name    string // stack names start with it
	program func(hardened bool) pulumi.RunFunc
	// secrets is the stack config set as secrets; plain the plain config.
	secrets func(hardened bool) map[string]string
	plain   func(hardened bool) map[string]string
	// hardenedConfig is the hardened program's --policy-pack-config.
	hardenedConfig map[string]any
	// expected are the violating program's findings, all of them: the test
	// fails on a missing one and on any finding no entry matches.
	expected []expectation
	// options are opt-in policy options (a --policy-pack-config) under which
	// the violating program gets optionsExpected too; the hardened program's
	// config includes them.
	options         map[string]any
	optionsExpected []expectation
}

// expectation is one expected finding of a violating program.
type expectation struct {
	policy   string
	resource string // logical name (the URN's last part)
	typ      string // the resource's type token
	level    string // of every finding of the policy on the resource
	words    []string
}

// matches reports whether the event is about the expectation's policy and
// resource.
func (x expectation) matches(e apitype.PolicyEvent) bool {
	// urn:pulumi:<stack>::<project>::<parent types$>type::name
	parts := strings.SplitN(e.ResourceURN, "::", 4)
	if e.PolicyName != x.policy || len(parts) != 4 || parts[3] != x.resource {
		return false
	}
	return parts[2] == x.typ || strings.HasSuffix(parts[2], "$"+x.typ)
}

func (p platform) stack(t *testing.T, w *world, name string, hardened bool) auto.Stack {
	t.Helper()
	cfg := map[string]auto.ConfigValue{}
	for k, v := range p.secrets(hardened) {
		cfg[k] = auto.ConfigValue{Value: v, Secret: true}
	}
	if p.plain != nil {
		for k, v := range p.plain(hardened) {
			cfg[k] = auto.ConfigValue{Value: v}
		}
	}
	ctx := context.Background()
	s, err := w.Stack(ctx, project, name, t.TempDir(), p.program(hardened), nil)
	if err == nil {
		err = s.SetAllConfig(ctx, cfg)
	}
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	return s
}

// secretValues are the program's secret values a test must never see, with
// the inner parts of the multi-line ones.
func (p platform) secretValues(hardened bool) []string {
	var out []string
	for k, v := range p.secrets(hardened) {
		if k == "recaptchaSiteKey" { // public by design, set as a secret anyway
			continue
		}
		out = append(out, v)
		if lines := strings.Split(strings.TrimSpace(v), "\n"); len(lines) > 1 {
			for _, l := range lines {
				if strings.Contains(l, "not-shown") {
					out = append(out, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "token:")))
				}
			}
		}
	}
	return out
}

// noSecretOf checks that none of the program's secrets appears in the
// output or in a policy message.
func (p platform) noSecretOf(t *testing.T, hardened bool, output string, policies []apitype.PolicyEvent) {
	t.Helper()
	for _, v := range p.secretValues(hardened) {
		if strings.Contains(output, v) {
			t.Errorf("the secret %q appears in the CLI output", v)
		}
		for _, e := range policies {
			if strings.Contains(e.Message, v) {
				t.Errorf("the secret %q appears in a policy message: %+v", v, e)
			}
		}
	}
}

// violatingPreviewFails previews the violating program with the pack and
// checks the findings against p.expected, both ways; then, when the program
// has opt-in options (p.options), previews it again with them and checks
// against p.expected and p.optionsExpected.
func (p platform) violatingPreviewFails(t *testing.T) {
	w := setupPlatforms(t)
	s := p.stack(t, w, p.name+"-violating", false)
	o := preview(t, s, optpreview.PolicyPacks(w.pack))
	t.Logf("preview of the violating %s program with the pack: %v", p.name, o.Elapsed)
	p.check(t, "preview", o, p.expected)
	if p.options == nil {
		return
	}
	o = preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(writeConfig(t, p.options)))
	t.Logf("preview of the violating %s program with the pack and its opt-in options: %v", p.name, o.Elapsed)
	p.check(t, "preview with the opt-in options", o, expectations(p.expected, p.optionsExpected))
}

// check checks a failed preview's findings against the expected ones, both
// ways, and that no secret of the program shows.
func (p platform) check(t *testing.T, what string, o clienv.Outcome, expected []expectation) {
	t.Helper()
	if o.Err == nil {
		t.Errorf("%s passed; mandatory violations must fail it.\n%s", what, o.Output)
	}
	for _, x := range expected {
		var got []apitype.PolicyEvent
		for _, e := range o.Policies {
			if x.matches(e) {
				got = append(got, e)
			}
		}
		if len(got) == 0 {
			t.Errorf("%s: %s on %s (%s): no finding", what, x.policy, x.resource, x.typ)
			continue
		}
		for _, e := range got {
			if e.EnforcementLevel != x.level {
				t.Errorf("%s: %s on %s: level %s, want %s: %s", what, x.policy, x.resource, e.EnforcementLevel, x.level, e.Message)
			}
		}
		text := messages(got)
		for _, word := range x.words {
			if !strings.Contains(text, word) {
				t.Errorf("%s: %s on %s: no message names %q:\n%s", what, x.policy, x.resource, word, text)
			}
		}
	}
	for _, e := range o.Policies {
		known := false
		for _, x := range expected {
			known = known || x.matches(e)
		}
		if !known {
			t.Errorf("%s: unexpected finding %s (%s) on %s: %s", what, e.PolicyName, e.EnforcementLevel, e.ResourceURN, e.Message)
		}
	}
	p.noSecretOf(t, false, o.Output, o.Policies)
	t.Logf("%s: findings:\n%s", what, findings(o))
	if t.Failed() {
		t.Logf("output:\n%s", o.Output)
	}
}

// hardenedIsClean previews the hardened program with the pack and its
// policy config, deploys it with the pack, and previews the deployed stack:
// no finding at any level, and nothing to change.
func (p platform) hardenedIsClean(t *testing.T) {
	w := setupPlatforms(t)
	s := p.stack(t, w, p.name+"-hardened", true)
	config := map[string]any{}
	maps.Copy(config, p.hardenedConfig)
	maps.Copy(config, p.options)
	cfg := writeConfig(t, config)
	clean := func(what string, o clienv.Outcome) {
		t.Helper()
		if o.Err != nil {
			t.Errorf("%s failed: %v\n%s", what, o.Err, o.Output)
		}
		if len(o.Policies) != 0 {
			t.Errorf("%s: the hardened %s program got findings:\n%s", what, p.name, findings(o))
		}
		p.noSecretOf(t, true, o.Output, o.Policies)
	}
	o := preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(cfg))
	t.Logf("preview of the hardened %s program with the pack: %v", p.name, o.Elapsed)
	clean("preview", o)

	var out strings.Builder
	ch := make(chan events.EngineEvent)
	var upPolicies []apitype.PolicyEvent
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if e.PolicyEvent != nil {
				upPolicies = append(upPolicies, *e.PolicyEvent)
			}
		}
		close(done)
	}()
	start := time.Now()
	_, err := s.Up(context.Background(), optup.PolicyPacks(w.pack), optup.PolicyPackConfigs(cfg),
		optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out), optup.EventStreams(ch))
	waitEvents(done)
	t.Logf("up of the hardened %s program with the pack: %v", p.name, time.Since(start))
	clean("up", clienv.Outcome{Err: err, Output: out.String(), Policies: upPolicies})
	if err != nil {
		t.FailNow()
	}

	o = preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(cfg))
	t.Logf("preview of the deployed hardened %s program with the pack: %v", p.name, o.Elapsed)
	clean("preview after up", o)
	if !strings.Contains(o.Output, "unchanged") || strings.Contains(o.Output, "to update") ||
		strings.Contains(o.Output, "to create") || strings.Contains(o.Output, "to replace") {
		t.Errorf("the second preview plans changes:\n%s", o.Output)
	}
}

// Type tokens of the expectations.
const (
	deploymentType = "kubernetes:apps/v1:Deployment"
	serviceType    = "kubernetes:core/v1:Service"
	secretType     = "kubernetes:core/v1:Secret"
	ingressType    = "kubernetes:networking.k8s.io/v1:Ingress"
	stackType      = "pulumi:pulumi:Stack"
	releaseType    = "kubernetes:helm.sh/v3:Release"
)

// cveWords are what every ingress-nginx-patched message names: the CVE and
// the fixed controller releases (a chart's message names the fixed charts
// too).
var cveWords = []string{"CVE-2025-1974", "v1.11.5", "v1.12.1"}

// chartControllerExpected is the finding on a v3 Chart's rendered
// controller Deployment that runs an ingress-nginx release older than the
// fixes (gke-hosted, byo-infra).
func chartControllerExpected(version string) expectation {
	return expectation{"ingress-nginx-patched", programs.IngressControllerDeployment, deploymentType, "mandatory",
		append([]string{"controller " + version, "registry.k8s.io/ingress-nginx/controller:v" + version}, cveWords...)}
}

// serviceTierExpected are the findings of the violating service tier the
// three programs share (internal/programs/k8sapp.go): no TLS variables, an
// Ingress without an allowlist, no NetworkPolicy.
func serviceTierExpected() []expectation {
	api, console := programs.AppAPIName, programs.AppConsoleName
	return []expectation{
		{"api-tls", api, deploymentType, "mandatory", []string{"API_TLS_CERTIFICATE", "API_TLS_PRIVATE_KEY", "API_MIN_TLS_VERSION"}},
		// No console-tls: the Console sets no TLS variable, but the
		// ingress-nginx Ingress with spec.tls routes to its Service: the
		// guide's exception (issue 18, class 6).
		{"database-tls", api, deploymentType, "mandatory", []string{"DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION", `("pulumi-api")`, `("pulumi-migration")`}},
		{"load-balancer-ingress-allowlist", programs.AppIngressName, ingressType, "mandatory", []string{"whitelist-source-range"}},
		{"network-policies-between-tiers", api, deploymentType, "advisory", []string{"selects the pods"}},
		{"network-policies-between-tiers", console, deploymentType, "advisory", []string{"selects the pods"}},
	}
}

// localKeysExpected is what the RandomString key in the local-keys Secret
// (gke-hosted, byo-infra) gets today: its value is unknown in a preview.
var localKeysExpected = expectation{"secret-inputs-marked-secret", programs.GKELocalKeysSecretName, secretType, "advisory",
	[]string{"cannot be verified during preview", "stringData"}}

// expectations joins lists of expectations.
func expectations(lists ...[]expectation) []expectation {
	var out []expectation
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
