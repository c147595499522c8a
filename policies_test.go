package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/resource/analyzer"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/corpus"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/gen"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies/examples"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testbin.Cleanup()
	os.Exit(code)
}

func TestVersionMatchesPulumiPolicyYAML(t *testing.T) {
	proj, err := workspace.LoadPolicyPack("PulumiPolicy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if proj.Runtime.Name() != "go" {
		t.Errorf("runtime %q, want go", proj.Runtime.Name())
	}
	if proj.Version != policies.Version {
		t.Errorf("PulumiPolicy.yaml version %q, pack version %q", proj.Version, policies.Version)
	}
	if p := policies.Pack(); p.Name != "selfhosted-hardening" || len(p.Policies) != len(policies.All()) {
		t.Errorf("pack %q with %d policies", p.Name, len(p.Policies))
	}
}

// engineHost is the part of the engine's plugin host that starting an
// analyzer uses: the engine's address (a live gRPC server, so the pack's
// liveness check finds it) and no debugger.
type engineHost struct {
	plugin.Host
	addr string
}

func (h engineHost) ServerAddr() string                                   { return h.addr }
func (h engineHost) AttachDebugger(plugin.DebugSpec) bool                 { return false }
func (h engineHost) Log(diag.Severity, resource.URN, string, int32)       {}
func (h engineHost) LogStatus(diag.Severity, resource.URN, string, int32) {}
func (h engineHost) StartDebugging(plugin.DebuggingInfo) error            { return nil }
func (h engineHost) SignalCancellation() error                            { return nil }
func (h engineHost) Close() error                                         { return nil }
func (h engineHost) Loader(*plugin.Context) (*plugin.GrpcServer, error)   { return nil, nil }
func (h engineHost) Mapper(*plugin.Context) (*plugin.GrpcServer, error)   { return nil, nil }
func (h engineHost) Resolver(*plugin.Context) (*plugin.GrpcServer, error) { return nil, nil }
func (h engineHost) ReleaseContext(*plugin.Context) error                 { return nil }
func (h engineHost) ResolvePlugin(*plugin.Context, workspace.PluginDescriptor) (*workspace.PluginInfo, error) {
	return nil, nil
}

// startPack starts the built pack binary exactly as the CLI does for
// --policy-pack <binary>, through the engine's own plugin.NewPolicyAnalyzer.
// opts nil is what pulumi policy publish does: no ConfigureStack.
func startPack(t *testing.T, opts *plugin.PolicyAnalyzerOptions) plugin.Analyzer {
	t.Helper()
	bin := testbin.Pack(t)
	host := engineHost{addr: testbin.FakeEngine(t)}
	dir := t.TempDir()
	pctx, err := plugin.NewContextWithHost(context.Background(), nil, nil, host, dir, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := plugin.NewPolicyAnalyzer(host, pctx, "selfhosted-hardening", bin, opts)
	if err != nil {
		t.Fatalf("starting the pack as the engine does: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// TestPublishPath is what pulumi policy publish does before uploading: start
// the pack with no stack, ask for its plugin and analyzer info.
func TestPublishPath(t *testing.T) {
	a := startPack(t, nil)
	ctx := context.Background()
	pi, err := a.GetPluginInfo(ctx)
	if err != nil {
		t.Fatalf("GetPluginInfo without ConfigureStack: %v", err)
	}
	if pi.Version == nil || pi.Version.String() != policies.Version {
		t.Errorf("plugin version %v, want %s", pi.Version, policies.Version)
	}
	info, err := a.GetAnalyzerInfo(ctx)
	if err != nil {
		t.Fatalf("GetAnalyzerInfo without ConfigureStack: %v", err)
	}
	if info.Name != "selfhosted-hardening" || info.Version != policies.Version || !info.SupportsConfig ||
		info.DisplayName == "" || info.Description == "" {
		t.Errorf("pack metadata incomplete: %+v", info)
	}
	if len(info.Policies) != len(policies.All()) {
		t.Fatalf("%d policies, want %d", len(info.Policies), len(policies.All()))
	}
	tags := map[string]bool{"network": true, "encryption-at-rest": true, "encryption-in-transit": true,
		"secrets": true, "smtp-captcha": true}
	for _, p := range info.Policies {
		if p.DisplayName == "" || p.Description == "" || p.RemediationSteps == "" ||
			!strings.HasPrefix(p.URL, "https://www.pulumi.com/docs/administration/self-hosting/operations/security-hardening/#") ||
			p.Severity == apitype.PolicySeverityUnspecified || p.Type == plugin.AnalyzerPolicyTypeUnknown ||
			len(p.Tags) == 0 || !tags[p.Tags[0]] || p.ConfigSchema == nil || p.Framework == nil {
			t.Errorf("policy %s: metadata incomplete: %+v", p.Name, p)
		}
		if p.EnforcementLevel != apitype.Mandatory && p.EnforcementLevel != apitype.Advisory {
			t.Errorf("policy %s: default level %q", p.Name, p.EnforcementLevel)
		}
		if _, ok := p.ConfigSchema.Properties["exclude"]; !ok {
			t.Errorf("policy %s: no exclude in its schema", p.Name)
		}
	}
}

// TestAnalyzeThroughEngineClient configures the pack as a preview does and
// checks a diagnostic arrives with its severity.
func TestAnalyzeThroughEngineClient(t *testing.T) {
	a := startPack(t, &plugin.PolicyAnalyzerOptions{Project: "p", Stack: "dev", DryRun: true})
	ctx := context.Background()
	info, err := a.GetAnalyzerInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg, errs, err := analyzer.ReconcilePolicyPackConfig(info.Policies, info.InitialConfig, nil)
	if err != nil || len(errs) > 0 {
		t.Fatalf("default config: %v %v", err, errs)
	}
	if err := a.Configure(ctx, cfg); err != nil {
		t.Fatalf("Configure with the engine's defaults: %v", err)
	}
	resp, err := a.Analyze(ctx, plugin.AnalyzerResource{
		URN:        "urn:pulumi:dev::p::aws:rds/instance:Instance::db",
		Type:       "aws:rds/instance:Instance",
		Name:       "db",
		Properties: resource.FromResourcePropertyMap(resource.PropertyMap{"engine": resource.NewProperty("mysql")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].PolicyName != "rds-storage-encrypted" ||
		resp.Diagnostics[0].Severity != apitype.PolicySeverityHigh ||
		resp.Diagnostics[0].EnforcementLevel != apitype.Mandatory {
		t.Errorf("diagnostics: %+v", resp.Diagnostics)
	}
}

// TestConfigValidatedLikeTheEngine feeds the same --policy-pack-config files
// to the engine's validation (ReconcilePolicyPackConfig, the preview path;
// ValidatePolicyPackConfig, the Pulumi Cloud path) against the schemas the
// pack sends, and to the pack's Configure. Wherever a schema can express the
// rule, both must agree; the pack alone also refuses what a schema here
// cannot (an unknown key or policy name).
func TestConfigValidatedLikeTheEngine(t *testing.T) {
	a := startPack(t, &plugin.PolicyAnalyzerOptions{Project: "p", Stack: "dev"})
	ctx := context.Background()
	info, err := a.GetAnalyzerInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string]apitype.PolicyConfigSchema{}
	for _, p := range info.Policies {
		props := map[string]*json.RawMessage{}
		for k, v := range p.ConfigSchema.Properties {
			raw, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			m := json.RawMessage(raw)
			props[k] = &m
		}
		schemas[p.Name] = apitype.PolicyConfigSchema{Type: apitype.Object, Properties: props}
	}

	cases := []struct {
		name         string
		config       string
		engineAccept bool
		packAccept   bool
		packError    []string
	}{
		{"empty", `{}`, true, true, nil},
		{"levels", `{"rds-storage-encrypted":"advisory","s3-bucket-encrypted":"disabled"}`, true, true, nil},
		{"all", `{"all":"advisory"}`, true, true, nil},
		{"bool", `{"s3-bucket-encrypted":{"requireKms":true}}`, true, true, nil},
		{"exclude", `{"s3-bucket-encrypted":{"exclude":["legacy-.*","urn:pulumi:dev::p::aws:s3/bucket:Bucket::b"]}}`, true, true, nil},
		{"bool as string", `{"s3-bucket-encrypted":{"requireKms":"yes"}}`, false, false,
			[]string{"s3-bucket-encrypted", `"requireKms"`, "true or false"}},
		{"exclude not a list", `{"rds-storage-encrypted":{"exclude":"db"}}`, false, false,
			[]string{"rds-storage-encrypted", `"exclude"`, "array"}},
		{"exclude bad regex", `{"rds-storage-encrypted":{"exclude":["(unclosed"]}}`, false, false,
			[]string{"rds-storage-encrypted", `"exclude"`, "not a valid regular expression"}},
		{"exclude item not a string", `{"rds-storage-encrypted":{"exclude":[1]}}`, false, false,
			[]string{"item 0 must be a string"}},
		{"unknown key", `{"s3-bucket-encrypted":{"requireKMS":true}}`, true, false,
			[]string{`unknown config property "requireKMS"; did you mean requireKms?`}},
		// With a level: with properties only, the engine itself fails first
		// ("invalid enforcement level"), never reaching the pack.
		{"unknown policy", `{"s3-bucket-encrypton":"disabled"}`, true, false,
			[]string{`"s3-bucket-encrypton" is not a policy of selfhosted-hardening; did you mean s3-bucket-encrypted?`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.json")
			if err := os.WriteFile(path, []byte(c.config), 0o644); err != nil {
				t.Fatal(err)
			}
			file, err := analyzer.LoadPolicyPackConfigFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg, verrs, err := analyzer.ReconcilePolicyPackConfig(info.Policies, info.InitialConfig, file.Config)
			if err != nil {
				t.Fatal(err)
			}
			raw := map[string]*json.RawMessage{}
			var doc map[string]json.RawMessage
			_ = json.Unmarshal([]byte(c.config), &doc)
			for k, v := range doc {
				if !bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
					continue // a bare level; the cloud path stores objects
				}
				m := v
				raw[k] = &m
			}
			cloudErr := analyzer.ValidatePolicyPackConfig(schemas, raw)
			if engineAccepted := len(verrs) == 0; engineAccepted != c.engineAccept {
				t.Errorf("engine (preview path) accepted=%v, want %v: %v", engineAccepted, c.engineAccept, verrs)
			}
			if cloudAccepted := cloudErr == nil; cloudAccepted != c.engineAccept {
				t.Errorf("engine (cloud path) accepted=%v, want %v: %v", cloudAccepted, c.engineAccept, cloudErr)
			}
			if len(verrs) > 0 {
				return // the engine stops before Configure
			}
			err = a.Configure(ctx, cfg)
			if packAccepted := err == nil; packAccepted != c.packAccept {
				t.Fatalf("pack accepted=%v, want %v: %v", packAccepted, c.packAccept, err)
			}
			for _, want := range c.packError {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("pack error lacks %q: %v", want, err)
				}
			}
		})
	}
	// The same rules, checked by the pack alone when the engine lets a value
	// through: the pack's Configure is the last word for every client.
	for _, c := range cases {
		if c.engineAccept || c.packAccept {
			continue
		}
		var doc map[string]any
		_ = json.Unmarshal([]byte(c.config), &doc)
		raw := map[string]policy.RawConfig{}
		for k, v := range doc {
			if m, ok := v.(map[string]any); ok {
				raw[k] = policy.RawConfig{Properties: m}
			}
		}
		if _, err := policies.Pack().Configure(raw); err == nil {
			t.Errorf("%s: the pack's own validation accepted what the schema refuses", c.name)
		}
	}
}

func loadCorpus(t *testing.T) (app, infra []*hardeningtest.Resource) {
	t.Helper()
	var err error
	app, err = corpus.Load("testdata/corpus/ecs-installer/application.json", "application-go", "dev")
	if err != nil {
		t.Fatal(err)
	}
	infra, err = corpus.Load("testdata/corpus/ecs-installer/infrastructure.json", "infrastructure-go", "dev")
	if err != nil {
		t.Fatal(err)
	}
	return app, infra
}

// TestCorpusIsTheSharedOne keeps testdata/corpus identical to the shared
// recording beside the project, when it is there.
func TestCorpusIsTheSharedOne(t *testing.T) {
	shared := filepath.Join("..", "shared", "corpus", "ecs-installer")
	entries, err := os.ReadDir(shared)
	if err != nil {
		t.Skipf("no shared corpus at %s", shared)
	}
	for _, e := range entries {
		want, err := os.ReadFile(filepath.Join(shared, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("testdata", "corpus", "ecs-installer", e.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/corpus/ecs-installer/%s differs from %s (copy it again)", e.Name(), shared)
		}
	}
}

// expect is what the pack must say about one resource of the corpus: the
// levels of its findings of one policy, in order.
type expect struct {
	policy, resource string
	levels           []string
}

// TestCorpus judges the recorded ECS installer (an update: known values)
// and checks what the guide implies. For every policy named in a case, the
// findings must be exactly those listed; no message may show a secret.
func TestCorpus(t *testing.T) {
	app, infra := loadCorpus(t)
	m, a := []string{"mandatory"}, []string{"advisory"}
	externalSubnets := map[string]any{"privateSubnetIds": []any{"subnet-priv1", "subnet-priv2", "subnet-iso1", "subnet-iso2"}}
	// The application stack's config as recorded (README of the corpus):
	// licenseKey, recaptchaSecretKey and smtpPassword set as secrets.
	appConfig := map[string]string{}
	for k, v := range map[string]string{
		"acmCertificateArn": "arn:aws:acm:us-west-2:123456789012:certificate/abc", "kmsServiceKeyId": "kms-key-1",
		"imageTag": "latest", "baseStackReference": "org/infrastructure-go/dev", "route53ZoneName": "example.com",
		"route53Subdomain": "pulumi", "recaptchaSiteKey": "site-key", "smtpServer": "smtp.example.com:587",
		"smtpUsername": "smtpuser", "smtpGenericSender": "noreply@example.com",
		"whiteListCidrBlocks": `["203.0.113.0/24"]`,
	} {
		appConfig["application-go:"+k] = v
	}
	appSecrets := map[string]string{"application-go:licenseKey": "LICENSE-JWT",
		"application-go:recaptchaSecretKey": "recaptcha-secret", "application-go:smtpPassword": "smtp-pw"}
	plainLicense := map[string]string{"application-go:licenseKey": "LICENSE-JWT"}
	for k, v := range appConfig {
		plainLicense[k] = v
	}
	cases := []struct {
		name      string
		resources []*hardeningtest.Resource
		project   string
		config    map[string]any
		stack     map[string]string
		secret    map[string]string
		want      []expect
	}{
		{name: "application", resources: app, project: "application-go", want: []expect{
			// The three buckets have no server-side encryption.
			{"s3-bucket-encrypted", "pulumi-checkpoints", m},
			{"s3-bucket-encrypted", "pulumi-policypacks", m},
			{"s3-bucket-encrypted", "pulumi-service-metadata", m},
			// The load balancer is open to 0.0.0.0/0 on 80 and 443 (the
			// program reads a misspelt allowlist key), and no allowlist is
			// configured here.
			{"load-balancer-ingress-allowlist", "pulumi-tm-api-lb-sg", []string{"mandatory", "mandatory"}},
			// The services' subnets come from config: not verifiable.
			{"app-in-private-subnets", "pulumi-api-ecs", a},
			{"app-in-private-subnets", "pulumi-ui-ecs", a},
			// The services may send anything anywhere.
			{"security-group-egress-restricted", "pulumi-api-service-sg", a},
			{"security-group-egress-restricted", "pulumi-ui-service-sg", a},
			// The app tier admits only the load balancer's group.
			{"app-security-group-restricted", "", nil},
			{"security-group-no-unrestricted-ingress", "", nil},
			// The program reads licenseKey with a plain config.Require, so it
			// lands in plain text in the API container's environment.
			{"container-secrets-not-in-environment", "pulumi-api-task-def", m},
			// Passwords and secret versions are Pulumi secrets.
			{"secret-inputs-marked-secret", "", nil},
			// No container sets any TLS variable.
			{"api-tls", "pulumi-api-task-def", m},
			{"console-tls", "pulumi-ui-task-def", m},
			{"database-tls", "pulumi-api-task-def", m},
			{"database-tls", "pulumi-api-migrations-task-def", m},
			// The HTTPS listener's policy is TLS 1.2; the HTTP listener answers
			// with a fixed response instead of a redirect, and two forwarding
			// rules sit on it; the target groups speak HTTP to the containers.
			{"load-balancer-tls", "pulumi-tm-api-http-listener", m},
			{"load-balancer-tls", "pulumi-api-https-list-rule", m},
			{"load-balancer-tls", "pulumi-ui-https-list-rule", m},
			{"load-balancer-tls", "pulumi-api-tg", m},
			{"load-balancer-tls", "pulumi-ui-tg", m},
			// SMTP and CAPTCHA are set up.
			{"smtp-configured", "", nil},
			{"captcha-configured", "", nil},
		}},
		{name: "application with TLS ending at the load balancer", resources: app, project: "application-go",
			config: map[string]any{
				"console-tls":       map[string]any{"consoleTlsTerminatedAtLoadBalancer": true},
				"load-balancer-tls": map[string]any{"tlsTerminatedAtLoadBalancer": true},
			},
			want: []expect{
				{"console-tls", "", nil},
				{"load-balancer-tls", "pulumi-tm-api-http-listener", m},
				{"load-balancer-tls", "pulumi-api-https-list-rule", m},
				{"load-balancer-tls", "pulumi-ui-https-list-rule", m},
			}},
		{name: "application with its stack config", resources: app, project: "application-go",
			stack: appConfig, secret: appSecrets,
			want: []expect{{"stack-config-secrets", "", nil}}},
		{name: "application with the license key in plain config", resources: app, project: "application-go",
			stack: plainLicense,
			want:  []expect{{"stack-config-secrets", "stack", m}}},
		{name: "application with the intended allowlist and subnets", resources: app, project: "application-go",
			config: map[string]any{
				"load-balancer-ingress-allowlist": map[string]any{"ingressAllowList": []any{"203.0.113.0/24"}},
				"app-in-private-subnets":          externalSubnets,
			},
			want: []expect{
				{"load-balancer-ingress-allowlist", "pulumi-tm-api-lb-sg", []string{"mandatory", "mandatory"}},
				{"app-in-private-subnets", "", nil},
			}},
		{name: "infrastructure", resources: infra, project: "infrastructure-go", want: []expect{
			// The Aurora cluster is encrypted.
			{"rds-storage-encrypted", "", nil},
			{"rds-not-publicly-accessible", "", nil},
			// The OpenSearch domain's group admits 0.0.0.0/0 on 443.
			{"database-security-group-restricted", "pulumiselfhosted-opensearch", m},
			{"database-in-private-subnets", "pulumiselfhosted-database-aurora-cluster", a},
			{"database-in-private-subnets", "pulumiselfhosted-opensearch", a},
			{"security-group-no-unrestricted-ingress", "", nil},
			// The master passwords are secrets.
			{"secret-inputs-marked-secret", "", nil},
			// The cluster uses the default cluster parameter group.
			{"database-requires-tls", "pulumiselfhosted-database-aurora-cluster", m},
			// The OpenSearch domain is encrypted with TLS 1.2.
			{"opensearch-domain-encrypted", "", nil},
		}},
		{name: "infrastructure with its subnets named", resources: infra, project: "infrastructure-go",
			config: map[string]any{"database-in-private-subnets": externalSubnets},
			want:   []expect{{"database-in-private-subnets", "", nil}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			findings, err := hardeningtest.Analyze(c.resources, hardeningtest.Options{
				Mode: hardeningtest.Update, Project: c.project, PolicyConfig: c.config,
				Config: c.stack, SecretConfig: c.secret,
			})
			if err != nil {
				t.Fatal(err)
			}
			res := &hardeningtest.Result{Resources: c.resources, Findings: findings}
			secrets := corpus.Secrets(c.resources)
			if len(secrets) == 0 {
				t.Fatal("the corpus has secrets; none were restored")
			}
			for _, v := range c.secret {
				secrets = append(secrets, v)
			}
			pack := policies.Pack()
			for _, f := range findings {
				for _, s := range secrets {
					if !pack.IsPublic(nil, s) && strings.Contains(f.Message, s) {
						t.Errorf("secret %q leaked in %v", s, f)
					}
				}
			}
			named := map[string]int{}
			for _, w := range c.want {
				if w.resource == "" {
					continue
				}
				named[w.policy] += len(w.levels)
				got := res.For(w.policy, w.resource)
				if w.resource == "stack" {
					got = nil
					for _, f := range res.ByPolicy(w.policy) {
						if f.URN == "" {
							got = append(got, f)
						}
					}
				}
				var levels []string
				for _, f := range got {
					levels = append(levels, f.Level)
				}
				if strings.Join(levels, ",") != strings.Join(w.levels, ",") {
					t.Errorf("%s on %s: got levels %v, want %v: %v", w.policy, w.resource, levels, w.levels, got)
				}
			}
			for _, w := range c.want {
				if n := len(res.ByPolicy(w.policy)); n != named[w.policy] {
					t.Errorf("%s: %d findings in all, want %d: %v", w.policy, n, named[w.policy], res.ByPolicy(w.policy))
				}
			}
			for _, f := range findings {
				t.Logf("%s", f)
			}
		})
	}
}

// TestReadmePolicyTableIsFresh: README.md's generated blocks (the policy
// index, each policy's section and its example, with the finding a run of
// the example gives now, and the usage and ELB policy blocks) are what the
// generator renders from the code.
func TestReadmePolicyTableIsFresh(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := examples.Blocks()
	if err != nil {
		t.Fatal(err)
	}
	want, err := docgen.Replace(string(data), blocks...)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != want {
		t.Error("README.md's policy index, sections or examples are stale: run go run ./internal/docgen/cmd")
	}
}

// TestTenThousandResourcesThroughTheBinary drives the built pack binary the
// way the engine does, over gRPC: ConfigureStack, an Analyze per resource of
// a generated 10,000-resource stack, then one AnalyzeStack with all of them.
// No call may fail, the findings must scale with the stack, and the process
// must stay within a memory budget (its peak RSS is logged).
func TestTenThousandResourcesThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	rs, err := gen.Stack(10000)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testbin.Pack(t))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(line),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(400<<20), grpc.MaxCallSendMsgSize(400<<20)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := pulumirpc.NewAnalyzerClient(conn)
	ctx := context.Background()
	if _, err := client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Project: "bench", Stack: "dev", DryRun: true}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resourceFindings := 0
	req := &pulumirpc.AnalyzeStackRequest{}
	for _, r := range rs {
		resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: r.URN, Type: r.Type, Name: r.Name,
			Properties: r.Inputs})
		if err != nil {
			t.Fatalf("Analyze %s: %v", r.URN, err)
		}
		resourceFindings += len(resp.GetDiagnostics())
		req.Resources = append(req.Resources, &pulumirpc.AnalyzerResource{Urn: r.URN, Type: r.Type, Name: r.Name,
			Properties: r.Outputs})
	}
	analyzed := time.Since(start)
	resp, err := client.AnalyzeStack(ctx, req)
	if err != nil {
		t.Fatalf("AnalyzeStack: %v", err)
	}
	stacked := time.Since(start) - analyzed
	copies := 10000 / 130
	if resourceFindings < copies || len(resp.GetDiagnostics()) < copies {
		t.Errorf("findings do not scale with the stack: %d resource, %d stack", resourceFindings, len(resp.GetDiagnostics()))
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var peakKB int
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "VmHWM:"), "kB")), &peakKB)
		}
	}
	t.Logf("10,000 resources: %d Analyze calls in %v, AnalyzeStack in %v; %d + %d findings; peak RSS %d MiB",
		len(rs), analyzed.Round(time.Millisecond), stacked.Round(time.Millisecond), resourceFindings,
		len(resp.GetDiagnostics()), peakKB/1024)
	if peakKB == 0 || peakKB > 1024*1024 {
		t.Errorf("peak RSS %d KiB: over the 1 GiB budget (or unreadable)", peakKB)
	}
}
