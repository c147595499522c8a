package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
)

// remediable declares what the remediating policies fix: a publicly
// accessible RDS instance, a second one whose publiclyAccessible comes from
// another resource's output (unknown in a preview of a new stack), an HTTP
// listener that forwards, an HTTPS listener with a TLS 1.0 policy, and an
// OpenSearch domain that does not enforce HTTPS.
func remediable(ctx *pulumi.Context) error {
	db := func(name string, public pulumi.BoolInput) error {
		_, err := rds.NewInstance(ctx, name, &rds.InstanceArgs{
			Engine: pulumi.String("postgres"), EngineVersion: pulumi.String("16"),
			InstanceClass: pulumi.String("db.t3.micro"), AllocatedStorage: pulumi.Int(20),
			Username: pulumi.String("app"), Password: config.RequireSecret(ctx, "dbPassword"),
			StorageEncrypted: pulumi.Bool(true), SkipFinalSnapshot: pulumi.Bool(true),
			PubliclyAccessible: public,
		})
		return err
	}
	if err := db("public-db", pulumi.Bool(true)); err != nil {
		return err
	}
	flag, err := s3.NewBucketV2(ctx, "flag", nil)
	if err != nil {
		return err
	}
	if err := db("later-db", flag.Arn.ApplyT(func(string) bool { return true }).(pulumi.BoolOutput)); err != nil {
		return err
	}
	lbArn := pulumi.String("arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/edge/1")
	if _, err := lb.NewListener(ctx, "http", &lb.ListenerArgs{
		LoadBalancerArn: lbArn, Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: pulumi.String("arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/api/1"),
		}},
	}); err != nil {
		return err
	}
	if _, err := lb.NewListener(ctx, "https", &lb.ListenerArgs{
		LoadBalancerArn: lbArn, Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"),
		SslPolicy:      pulumi.String("ELBSecurityPolicy-2016-08"),
		CertificateArn: pulumi.String("arn:aws:acm:us-west-2:123456789012:certificate/c"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("fixed-response"),
			FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
				ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("404"),
			},
		}},
	}); err != nil {
		return err
	}
	_, err = opensearch.NewDomain(ctx, "search", &opensearch.DomainArgs{
		EncryptAtRest:        &opensearch.DomainEncryptAtRestArgs{Enabled: pulumi.Bool(true)},
		NodeToNodeEncryption: &opensearch.DomainNodeToNodeEncryptionArgs{Enabled: pulumi.Bool(true)},
		DomainEndpointOptions: &opensearch.DomainDomainEndpointOptionsArgs{
			EnforceHttps: pulumi.Bool(false), TlsSecurityPolicy: pulumi.String("Policy-Min-TLS-1-0-2019-07"),
		},
	})
	return err
}

var remediatingPolicies = []string{"rds-not-publicly-accessible", "load-balancer-tls", "opensearch-domain-encrypted"}

// remediateConfig puts every policy at advisory (the program has gaps other
// policies report) and the remediating ones at level.
func remediateConfig(t *testing.T, level string) string {
	cfg := map[string]any{"all": "advisory"}
	for _, p := range remediatingPolicies {
		cfg[p] = level
	}
	return writeConfig(t, cfg)
}

// engineRun is what one preview or update reported.
type engineRun struct {
	err          error
	output       string
	policies     []apitype.PolicyEvent
	remediations []apitype.PolicyRemediationEvent
	changes      map[string]int
}

func (r engineRun) violations(policy string) []apitype.PolicyEvent {
	var out []apitype.PolicyEvent
	for _, e := range r.policies {
		if e.PolicyName == policy {
			out = append(out, e)
		}
	}
	return out
}

func (r engineRun) remediated(policy, resource string) *apitype.PolicyRemediationEvent {
	for i, e := range r.remediations {
		if e.PolicyName == policy && strings.HasSuffix(e.ResourceURN, "::"+resource) {
			return &r.remediations[i]
		}
	}
	return nil
}

func collect(ch chan events.EngineEvent, r *engineRun, done chan struct{}) {
	for e := range ch {
		switch {
		case e.PolicyEvent != nil:
			r.policies = append(r.policies, *e.PolicyEvent)
		case e.PolicyRemediationEvent != nil:
			r.remediations = append(r.remediations, *e.PolicyRemediationEvent)
		}
	}
	close(done)
}

func previewRun(t *testing.T, s auto.Stack, opts ...optpreview.Option) engineRun {
	t.Helper()
	var r engineRun
	ch, done := make(chan events.EngineEvent), make(chan struct{})
	go collect(ch, &r, done)
	var out strings.Builder
	res, err := s.Preview(context.Background(), append(opts, optpreview.EventStreams(ch),
		optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out))...)
	<-done
	r.err, r.output, r.changes = err, out.String(), map[string]int{}
	for op, n := range res.ChangeSummary {
		r.changes[string(op)] = n
	}
	return r
}

func upRun(t *testing.T, s auto.Stack, opts ...optup.Option) engineRun {
	t.Helper()
	var r engineRun
	ch, done := make(chan events.EngineEvent), make(chan struct{})
	go collect(ch, &r, done)
	var out strings.Builder
	_, err := s.Up(context.Background(), append(opts, optup.EventStreams(ch),
		optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out))...)
	<-done
	r.err, r.output = err, out.String()
	return r
}

// stateOf returns the stored inputs and outputs of the resource with that
// logical name. The stand-in provider returns the inputs it was sent as its
// outputs, so the outputs are what the provider received.
func stateOf(t *testing.T, s auto.Stack, name string) (inputs, outputs map[string]any) {
	t.Helper()
	dep, err := s.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		t.Fatal(err)
	}
	for _, r := range d.Resources {
		if strings.HasSuffix(string(r.URN), "::"+name) && r.Custom {
			return r.Inputs, r.Outputs
		}
	}
	t.Fatalf("no resource %s in the state", name)
	return nil, nil
}

func TestRemediateInTheCLI(t *testing.T) {
	w := setup(t)
	s := w.stack(t, "remediate", remediable)

	// At mandatory the same program fails the preview on what remediation fixes.
	o := previewRun(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(remediateConfig(t, "mandatory")))
	if o.err == nil {
		t.Fatalf("preview at mandatory passed:\n%s", o.output)
	}
	if len(o.remediations) != 0 {
		t.Errorf("remediated at mandatory: %+v", o.remediations)
	}

	// At remediate the preview shows each remediation and passes.
	o = previewRun(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(remediateConfig(t, "remediate")))
	if o.err != nil {
		t.Fatalf("preview at remediate failed: %v\n%s", o.err, o.output)
	}
	for _, c := range []struct{ policy, resource string }{
		{"rds-not-publicly-accessible", "public-db"}, {"load-balancer-tls", "http"},
		{"load-balancer-tls", "https"}, {"opensearch-domain-encrypted", "search"},
	} {
		if o.remediated(c.policy, c.resource) == nil {
			t.Errorf("no remediation by %s of %s in the preview", c.policy, c.resource)
		}
		if !strings.Contains(o.output, "[remediate]  "+c.policy) {
			t.Errorf("the preview output does not show %s remediating", c.policy)
		}
	}
	if e := o.remediated("rds-not-publicly-accessible", "public-db"); e != nil &&
		(e.Before["publiclyAccessible"] != true || e.After["publiclyAccessible"] != false) {
		t.Errorf("public-db remediation: before %v, after %v", e.Before["publiclyAccessible"], e.After["publiclyAccessible"])
	}
	// A value not known in preview is not remediated; it is reported as
	// today (advisory, cannot be verified).
	if o.remediated("rds-not-publicly-accessible", "later-db") != nil {
		t.Error("remediated later-db, whose publiclyAccessible is not known in preview")
	}
	later := false
	for _, e := range o.violations("rds-not-publicly-accessible") {
		if strings.HasSuffix(e.ResourceURN, "::later-db") && e.EnforcementLevel == "advisory" &&
			strings.Contains(e.Message, "cannot be verified during preview") {
			later = true
		} else if e.EnforcementLevel == "mandatory" {
			t.Errorf("a mandatory finding after remediation: %+v", e)
		}
	}
	if !later {
		t.Errorf("later-db not reported as unverifiable in preview: %+v", o.violations("rds-not-publicly-accessible"))
	}
	for _, p := range remediatingPolicies {
		for _, e := range o.violations(p) {
			if e.EnforcementLevel == "mandatory" {
				t.Errorf("mandatory finding left by %s: %+v", p, e)
			}
		}
	}
	noSecret(t, clienv.Outcome{Output: o.output, Policies: o.policies})

	// pulumi up sends the fixed inputs to the provider.
	u := upRun(t, s, optup.PolicyPacks(w.pack), optup.PolicyPackConfigs(remediateConfig(t, "remediate")))
	if u.err != nil {
		t.Fatalf("up at remediate: %v\n%s", u.err, u.output)
	}
	for _, name := range []string{"public-db", "later-db"} {
		in, out := stateOf(t, s, name)
		if in["publiclyAccessible"] != false || out["publiclyAccessible"] != false {
			t.Errorf("%s: publiclyAccessible stored %v, sent to the provider %v; want false", name,
				in["publiclyAccessible"], out["publiclyAccessible"])
		}
	}
	if u.remediated("rds-not-publicly-accessible", "later-db") == nil {
		t.Error("up did not remediate later-db once its value was known")
	}
	_, httpOut := stateOf(t, s, "http")
	actions, _ := httpOut["defaultActions"].([]any)
	if len(actions) != 1 || actions[0].(map[string]any)["type"] != "redirect" ||
		actions[0].(map[string]any)["redirect"].(map[string]any)["protocol"] != "HTTPS" {
		t.Errorf("http listener sent defaultActions %v, want one redirect to HTTPS", httpOut["defaultActions"])
	}
	if _, httpsOut := stateOf(t, s, "https"); httpsOut["sslPolicy"] != "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" {
		t.Errorf("https listener sent sslPolicy %v", httpsOut["sslPolicy"])
	}
	_, searchOut := stateOf(t, s, "search")
	opts, _ := searchOut["domainEndpointOptions"].(map[string]any)
	if opts["enforceHttps"] != true || opts["tlsSecurityPolicy"] != "Policy-Min-TLS-1-2-PFS-2023-10" {
		t.Errorf("search sent domainEndpointOptions %v", searchOut["domainEndpointOptions"])
	}
	if strings.Contains(u.output, dbPassword) {
		t.Error("the secret appears in the up output")
	}

	// The next preview is clean: nothing to change, nothing mandatory.
	n := previewRun(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(remediateConfig(t, "remediate")))
	if n.err != nil {
		t.Fatalf("preview after up: %v\n%s", n.err, n.output)
	}
	for op, count := range n.changes {
		if op != "same" && count > 0 {
			t.Errorf("preview after up plans %d %s: %v\n%s", count, op, n.changes, n.output)
		}
	}
	for _, p := range remediatingPolicies {
		if len(n.violations(p)) != 0 {
			t.Errorf("preview after up: %s reports %+v", p, n.violations(p))
		}
	}
	t.Logf("preview at remediate:\n%s", o.output)
}
