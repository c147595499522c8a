package e2e

// EKS-shaped end-to-end tests: the EKS installer's service stack
// (internal/programs.EKS) written with pulumi-kubernetes v4, previewed and
// deployed in the real CLI with the pack binary. The Kubernetes provider is
// the second test double, internal/e2e/fakek8s (installed as kubernetes
// 4.32.0 beside the stand-in aws provider): it autonames objects in Check as
// the real provider does, so Secret names are known in a preview, and never
// talks to a cluster.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

// kubernetesVersion is the plugin version pulumi-kubernetes/sdk/v4 v4.32.0
// asks for, and the one the stand-in answers as.
const kubernetesVersion = "4.32.0"

var (
	k8sOnce sync.Once
	k8sErr  error
)

// setupEKS is setup plus the stand-in Kubernetes provider installed in the
// shared world's PULUMI_HOME.
func setupEKS(t *testing.T) *world {
	t.Helper()
	w := setup(t)
	k8sOnce.Do(func() {
		k8sErr = errors.New("the stand-in kubernetes provider was not built") // stays if Build fails the test
		bin := testbin.Build(t, "./internal/e2e/fakek8s", "pulumi-resource-kubernetes")
		out, err := w.Run(w.Dir, "plugin", "install", "resource", "kubernetes", kubernetesVersion, "--file", bin)
		if err != nil {
			k8sErr = fmt.Errorf("%v\n%s", err, out)
			return
		}
		k8sErr = nil
	})
	if k8sErr != nil {
		t.Fatalf("installing the stand-in kubernetes provider: %v", k8sErr)
	}
	return w
}

func (w *world) eksStack(t *testing.T, name string, hardened bool) auto.Stack {
	t.Helper()
	cfg := map[string]auto.ConfigValue{}
	for k, v := range programs.EKSSecretConfig {
		cfg[k] = auto.ConfigValue{Value: v, Secret: true}
	}
	// One CLI run for all the config, not one per value.
	ctx := context.Background()
	s, err := w.Stack(ctx, project, name, t.TempDir(), programs.EKS(hardened), nil)
	if err == nil {
		err = s.SetAllConfig(ctx, cfg)
	}
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	return s
}

// noEKSSecret checks that no secret of the EKS program, Pulumi secret or
// plain-text one, appears in the output or in a policy message.
func noEKSSecret(t *testing.T, output string, policies []apitype.PolicyEvent) {
	t.Helper()
	values := append([]string{}, programs.EKSPlainSecrets...)
	for k, v := range programs.EKSSecretConfig {
		if k == "recaptchaSiteKey" { // public by design, set as a secret anyway
			continue
		}
		values = append(values, v)
		if k == "kubeconfig" {
			values = append(values, "eks-Kub3config-T0ken-not-shown")
		}
		if strings.HasSuffix(k, "TlsKey") {
			values = append(values, strings.Split(v, "\n")[1])
		}
	}
	for _, v := range values {
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

// waitEvents waits for an event stream's reader to finish. The Automation
// API closes the streams when it has read the event log to its end; when the
// CLI fails before writing one, it may never close them.
func waitEvents(done <-chan struct{}) {
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
}

// findings renders the pack's events one a line, for failure messages.
func findings(o clienv.Outcome) string {
	var b strings.Builder
	for _, e := range o.Policies {
		b.WriteString(e.EnforcementLevel + " " + e.PolicyName + " " + e.ResourceURN + ": " +
			strings.ReplaceAll(e.Message, "\n", " ") + "\n")
	}
	return b.String()
}

// messages joins the messages of events.
func messages(es []apitype.PolicyEvent) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Message + "\n")
	}
	return b.String()
}

func TestEKSViolatingPreviewFails(t *testing.T) {
	w := setupEKS(t)
	s := w.eksStack(t, "eks-violating", false)
	o := preview(t, s, optpreview.PolicyPacks(w.pack))
	t.Logf("preview of the violating EKS program with the pack: %v", o.Elapsed)
	if o.Err == nil {
		t.Errorf("preview passed; mandatory violations must fail it.\n%s", o.Output)
	}
	api, console, cm := programs.EKSAPIName, programs.EKSConsoleName, programs.EKSConfigMapName
	apiIng, consoleIng := programs.EKSAPIIngressName, programs.EKSConsoleIngressName
	cluster, cni := programs.EKSClusterName, programs.EKSVPCCNIName
	sg := programs.EKSOutsideSecurityGroup
	for _, c := range []struct {
		policy, resource string
		level            string   // of every finding of the policy on the resource
		typ              string   // the resource's type token, in the URN
		words            []string // each in some message of the policy on the resource (container names for database-tls)
	}{
		{"api-tls", api, "mandatory", "", []string{"API_TLS_CERTIFICATE", "API_TLS_PRIVATE_KEY", "API_MIN_TLS_VERSION"}},
		{"database-tls", api, "mandatory", "", []string{"DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION", "service", "migration"}},
		{"container-secrets-not-in-environment", api, "mandatory", "", []string{"GITHUB_OAUTH_SECRET", "DATABASE_PASSWORD"}},
		{"configmap-no-secrets", cm, "mandatory", "", []string{"SMTP_PASSWORD"}},
		// The edge: HTTP 80 without ssl-redirect, no ssl-policy (the
		// controller's default allows TLS 1.0); a security group from
		// another stack, which the pack cannot see.
		{"load-balancer-tls", apiIng, "mandatory", "kubernetes:networking.k8s.io/v1:Ingress", []string{"ssl-redirect", "ssl-policy", "ELBSecurityPolicy-2016-08"}},
		{"load-balancer-tls", consoleIng, "mandatory", "kubernetes:networking.k8s.io/v1:Ingress", []string{"ssl-redirect", "ssl-policy", "ELBSecurityPolicy-2016-08"}},
		{"load-balancer-ingress-allowlist", apiIng, "advisory", "kubernetes:networking.k8s.io/v1:Ingress", []string{"cannot be verified", sg, "alb.ingress.kubernetes.io/security-groups"}},
		{"load-balancer-ingress-allowlist", consoleIng, "advisory", "kubernetes:networking.k8s.io/v1:Ingress", []string{"cannot be verified", sg, "alb.ingress.kubernetes.io/security-groups"}},
		// The cluster, judged by the component's inputs.
		{"eks-endpoint-restricted", cluster, "mandatory", "eks:index:Cluster", []string{"endpointPublicAccess", "publicAccessCidrs", "0.0.0.0/0"}},
		{"eks-secrets-encrypted", cluster, "mandatory", "eks:index:Cluster", []string{"encryptionConfigKeyArn"}},
		// Node group subnets from another stack, not named in the config.
		{"app-in-private-subnets", programs.EKSNodeGroupName, "advisory", "eks:index:ManagedNodeGroup", []string{"cannot be verified", programs.EKSPrivateSubnetIDs[0], programs.EKSPrivateSubnetIDs[1], "privateSubnetIds"}},
		// Like the installer, the program has no NetworkPolicy (advisory by default).
		{"network-policies-between-tiers", api, "advisory", "kubernetes:apps/v1:Deployment", []string{"selects the pods"}},
		{"network-policies-between-tiers", console, "advisory", "kubernetes:apps/v1:Deployment", []string{"selects the pods"}},
		{"network-policies-between-tiers", cni, "advisory", "aws:eks/addon:Addon", []string{"configurationValues", "enableNetworkPolicy"}},
	} {
		got := o.Find(c.policy, c.resource)
		if c.typ != "" {
			var of []apitype.PolicyEvent
			for _, e := range got {
				if strings.Contains(e.ResourceURN, "::"+c.typ+"::") {
					of = append(of, e)
				}
			}
			got = of
		}
		if len(got) == 0 {
			t.Errorf("%s on %s (%s): no finding", c.policy, c.resource, c.typ)
			continue
		}
		for _, e := range got {
			if e.EnforcementLevel != c.level {
				t.Errorf("%s on %s: level %s, want %s: %s", c.policy, c.resource, e.EnforcementLevel, c.level, e.Message)
			}
		}
		text := messages(got)
		for _, word := range c.words {
			if !strings.Contains(text, word) {
				t.Errorf("%s on %s: no message names %q:\n%s", c.policy, c.resource, word, text)
			}
		}
		if !strings.Contains(o.Output, c.policy) {
			t.Errorf("the CLI output does not name %s", c.policy)
		}
	}
	// One finding per setting: eks-endpoint-restricted and
	// eks-secrets-encrypted once each on the component.
	for _, p := range []string{"eks-endpoint-restricted", "eks-secrets-encrypted"} {
		if got := o.Find(p, cluster); len(got) != 1 {
			t.Errorf("%s on %s: want one finding, got %d: %s", p, cluster, len(got), messages(got))
		}
	}
	// Nothing else: SMTP and reCAPTCHA come from Secrets, as in the
	// installer, and the Services, ServiceAccount and Secrets are fine.
	// The Console sets no TLS variable, but its ALB Ingress terminates TLS
	// (certificate-arn, HTTPS 443) and routes to the Service that selects
	// its pods: the guide's exception, so console-tls is silent.
	if got := o.Find("console-tls", console); len(got) != 0 {
		t.Errorf("console-tls on %s, behind a TLS-terminating Ingress: %s", console, messages(got))
	}
	expected := map[string]bool{"api-tls": true, "database-tls": true,
		"container-secrets-not-in-environment": true, "configmap-no-secrets": true,
		"network-policies-between-tiers": true, "load-balancer-tls": true, "load-balancer-ingress-allowlist": true,
		"eks-endpoint-restricted": true, "eks-secrets-encrypted": true, "app-in-private-subnets": true}
	for _, e := range o.Policies {
		if !expected[e.PolicyName] {
			t.Errorf("unexpected finding %s on %s: %s", e.PolicyName, e.ResourceURN, e.Message)
		}
	}
	// Secrets taken through secretKeyRef are where they belong.
	text := messages(o.Find("container-secrets-not-in-environment", api))
	for _, fine := range []string{"PULUMI_LICENSE_KEY", "MYSQL_ROOT_PASSWORD", "SMTP_PASSWORD", "RECAPTCHA_SECRET_KEY"} {
		if strings.Contains(text, fine) {
			t.Errorf("container-secrets-not-in-environment flags %s, which comes from a Secret:\n%s", fine, text)
		}
	}
	if got := o.Find("container-secrets-not-in-environment", console); len(got) != 0 {
		t.Errorf("the Console takes its one secret from a Secret, yet: %+v", got)
	}
	noEKSSecret(t, o.Output, o.Policies)
	t.Logf("findings:\n%s", findings(o))
	if t.Failed() {
		t.Logf("output:\n%s", o.Output)
	}
}

// assertClean fails on any finding of the pack, at any level.
func assertClean(t *testing.T, what string, o clienv.Outcome) {
	t.Helper()
	if o.Err != nil {
		t.Errorf("%s failed: %v\n%s", what, o.Err, o.Output)
	}
	if len(o.Policies) != 0 {
		t.Errorf("%s: the hardened EKS program got findings:\n%s", what, findings(o))
	}
	noEKSSecret(t, o.Output, o.Policies)
}

// eksHardenedConfig writes the policy config the hardened EKS program needs,
// as a user would pass it with --policy-pack-config: the node groups'
// subnets (from another stack) as private, and the Ingresses' allowlist.
func eksHardenedConfig(t *testing.T) string {
	t.Helper()
	return writeConfig(t, programs.EKSHardenedPolicyConfig())
}

func TestEKSHardenedPreviewIsClean(t *testing.T) {
	w := setupEKS(t)
	s := w.eksStack(t, "eks-hardened", true)
	o := preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(eksHardenedConfig(t)))
	t.Logf("preview of the hardened EKS program with the pack: %v", o.Elapsed)
	assertClean(t, "preview", o)
}

func TestEKSHardenedUpThenPreviewIsClean(t *testing.T) {
	w := setupEKS(t)
	s := w.eksStack(t, "eks-deployed", true)
	cfg := eksHardenedConfig(t)
	ctx := context.Background()
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
	_, err := s.Up(ctx, optup.PolicyPacks(w.pack), optup.PolicyPackConfigs(cfg), optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out),
		optup.EventStreams(ch))
	waitEvents(done)
	t.Logf("up of the hardened EKS program with the pack: %v", time.Since(start))
	assertClean(t, "up", clienv.Outcome{Err: err, Output: out.String(), Policies: upPolicies})
	if err != nil {
		t.FailNow()
	}

	// The stand-in provider's ids are <namespace>/<name> (a bare name for
	// the Namespace), as the real provider's are.
	state, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var deployment apitype.DeploymentV3
	if err := json.Unmarshal(state.Deployment, &deployment); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range deployment.Resources {
		ids[string(r.Type)+"::"+r.URN.Name()] = string(r.ID)
	}
	if id := ids["kubernetes:core/v1:Namespace::pulumi-service"]; id != "pulumi-service" {
		t.Errorf("Namespace id = %q, want pulumi-service", id)
	}
	if id := ids["kubernetes:apps/v1:Deployment::"+programs.EKSAPIName]; !strings.HasPrefix(id, "pulumi-service/"+programs.EKSAPIName+"-") {
		t.Errorf("API Deployment id = %q, want pulumi-service/%s-<hex>", id, programs.EKSAPIName)
	}

	o := preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(cfg))
	t.Logf("preview of the deployed hardened EKS program with the pack: %v", o.Elapsed)
	assertClean(t, "preview after up", o)
	// Deterministic autonames and top-level Diff: nothing changes.
	if !strings.Contains(o.Output, "unchanged") || strings.Contains(o.Output, "to update") ||
		strings.Contains(o.Output, "to create") || strings.Contains(o.Output, "to replace") {
		t.Errorf("the second preview plans changes:\n%s", o.Output)
	}
}

// TestEKSAnalyzeDeployedViolations deploys the violating program without
// the pack and judges the stored state with `pulumi policy analyze`: the
// Kubernetes objects' stored inputs (the Secret names the stand-in chose) go
// to Analyze.
func TestEKSAnalyzeDeployedViolations(t *testing.T) {
	w := setupEKS(t)
	s := w.eksStack(t, "eks-deployed-violating", false)
	var out strings.Builder
	start := time.Now()
	if _, err := s.Up(context.Background(), optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out)); err != nil {
		t.Fatalf("up without the pack: %v\n%s", err, out.String())
	}
	t.Logf("up of the violating EKS program without the pack: %v", time.Since(start))
	start = time.Now()
	res, err := w.Run(s.Workspace().WorkDir(), "policy", "analyze", "--stack", "eks-deployed-violating",
		"--policy-pack", w.pack)
	t.Logf("pulumi policy analyze: %v, err=%v", time.Since(start), err)
	if err == nil {
		t.Error("policy analyze must fail on mandatory violations")
	}
	api := "(kubernetes:apps/v1:Deployment: " + programs.EKSAPIName + ")"
	for _, want := range []string{
		"api-tls  " + api, "database-tls  " + api, "container-secrets-not-in-environment  " + api,
		"configmap-no-secrets  (kubernetes:core/v1:ConfigMap: " + programs.EKSConfigMapName + ")",
		"load-balancer-tls  (kubernetes:networking.k8s.io/v1:Ingress: " + programs.EKSAPIIngressName + ")",
		"load-balancer-tls  (kubernetes:networking.k8s.io/v1:Ingress: " + programs.EKSConsoleIngressName + ")",
		"eks-endpoint-restricted  (eks:index:Cluster: " + programs.EKSClusterName + ")",
		"eks-secrets-encrypted  (eks:index:Cluster: " + programs.EKSClusterName + ")",
		"GITHUB_OAUTH_SECRET", "DATABASE_PASSWORD",
	} {
		if !strings.Contains(res, want) {
			t.Errorf("policy analyze output lacks %q", want)
		}
	}
	noEKSSecret(t, res, nil)
	if t.Failed() {
		t.Logf("policy analyze output:\n%s", res)
	}
}

// TestEKSStandInNamesAreKnownInPreview checks the harness itself, without
// the pack: in a preview the Deployment's secretKeyRef names are the
// Secrets' autonames (known, as with the real provider), not unknowns.
func TestEKSStandInNamesAreKnownInPreview(t *testing.T) {
	w := setupEKS(t)
	s := w.eksStack(t, "eks-names", false)
	ch := make(chan events.EngineEvent)
	var inputs, clusterInputs map[string]any
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if p := e.ResourcePreEvent; p != nil && p.Metadata.New != nil &&
				strings.HasSuffix(p.Metadata.URN, "Deployment::"+programs.EKSAPIName) {
				inputs = p.Metadata.New.Inputs
			}
			if p := e.ResourcePreEvent; p != nil && p.Metadata.New != nil &&
				strings.HasSuffix(p.Metadata.URN, "::eks:index:Cluster::"+programs.EKSClusterName) {
				clusterInputs = p.Metadata.New.Inputs
			}
		}
		close(done)
	}()
	var out strings.Builder
	start := time.Now()
	_, err := s.Preview(context.Background(), optpreview.EventStreams(ch), optpreview.ProgressStreams(&out))
	waitEvents(done)
	t.Logf("preview of the violating EKS program without the pack: %v", time.Since(start))
	if err != nil {
		t.Fatalf("preview without the pack: %v\n%s", err, out.String())
	}
	data, _ := json.Marshal(inputs)
	text := string(data)
	for _, want := range []string{`"name":"license-key-`, `"name":"aurora-db-conn-`, `"namespace":"pulumi-service"`,
		`"image":"pulumi/service:`, `"image":"pulumi/migrations:`, `"configMapKeyRef":{"key":"DATABASE_PASSWORD","name":"pulumi-api-settings-`} {
		if !strings.Contains(text, want) {
			t.Errorf("the API Deployment's preview inputs lack %s:\n%s", want, text)
		}
	}
	// The component's inputs reach the engine (RegisterComponentResourceV2;
	// the plain RegisterComponentResource sends none), so the pack judges
	// what the program set, not an empty component.
	data, _ = json.Marshal(clusterInputs)
	for _, want := range []string{`"vpcId":"vpc-`, `"privateSubnetIds":["subnet-`, `"skipDefaultNodeGroup":true`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the eks:index:Cluster component's preview inputs lack %s:\n%s", want, data)
		}
	}
	noEKSSecret(t, out.String(), nil)
}
