package policies

import (
	"context"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

// remediateServer is the pack's server configured as the engine does, with
// the named policies at level (and their properties).
func remediateServer(t *testing.T, dryRun bool, levels map[string]pulumirpc.EnforcementLevel,
	properties map[string]map[string]any,
) *server.Server {
	t.Helper()
	s := server.New(Pack())
	ctx := context.Background()
	if _, err := s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Project: "p", Stack: "dev", DryRun: dryRun}); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]*pulumirpc.PolicyConfig{}
	for name, lvl := range levels {
		pc := &pulumirpc.PolicyConfig{EnforcementLevel: lvl}
		if m := properties[name]; m != nil {
			st, err := structpb.NewStruct(m)
			if err != nil {
				t.Fatal(err)
			}
			pc.Properties = st
		}
		cfg[name] = pc
	}
	if _, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: cfg}); err != nil {
		t.Fatal(err)
	}
	return s
}

func remRequest(typ, name string, m map[string]any) *pulumirpc.AnalyzeRequest {
	return &pulumirpc.AnalyzeRequest{
		Urn: "urn:pulumi:dev::p::" + typ + "::" + name, Type: typ, Name: name,
		Properties: props.EncodeObject(props.FromGo(m)),
	}
}

const remediateLevel = pulumirpc.EnforcementLevel_REMEDIATE

// remediateOne calls Remediate and then, as the engine does, Analyze on the
// properties the last remediation returned; it gives both answers.
func remediateOne(t *testing.T, s *server.Server, req *pulumirpc.AnalyzeRequest) (
	*pulumirpc.RemediateResponse, *pulumirpc.AnalyzeResponse,
) {
	t.Helper()
	ctx := context.Background()
	orig := proto.Clone(req).(*pulumirpc.AnalyzeRequest)
	rr, err := s.Remediate(ctx, req)
	if err != nil {
		t.Fatalf("Remediate: %v", err)
	}
	if !proto.Equal(orig, req) {
		t.Error("Remediate changed the request it was given")
	}
	next := proto.Clone(req).(*pulumirpc.AnalyzeRequest)
	if n := len(rr.GetRemediations()); n > 0 {
		next.Properties = rr.GetRemediations()[n-1].GetProperties()
	}
	ar, err := s.Analyze(ctx, next)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return rr, ar
}

func remDiagnostics(ar *pulumirpc.AnalyzeResponse, policy string) []*pulumirpc.AnalyzeDiagnostic {
	var out []*pulumirpc.AnalyzeDiagnostic
	for _, d := range ar.GetDiagnostics() {
		if d.GetPolicyName() == policy {
			out = append(out, d)
		}
	}
	return out
}

func remGet(t *testing.T, st *structpb.Struct, path string) props.Value {
	t.Helper()
	return props.Decode(st).Get(props.MustPath(path))
}

func TestRemediateRDSPublic(t *testing.T) {
	db := func(public any) *pulumirpc.AnalyzeRequest {
		return remRequest(typeRDSInstance, "db", map[string]any{
			"publiclyAccessible": public, "engine": "postgres", "storageEncrypted": true,
			"password": props.Secret(props.NewString("hunter2-secret")),
		})
	}
	s := remediateServer(t, false, map[string]pulumirpc.EnforcementLevel{"rds-not-publicly-accessible": remediateLevel}, nil)
	rr, ar := remediateOne(t, s, db(true))
	if len(rr.GetRemediations()) != 1 {
		t.Fatalf("want one remediation, got %v", rr)
	}
	r := rr.GetRemediations()[0]
	if r.GetPolicyName() != "rds-not-publicly-accessible" || r.GetPolicyPackName() != Name ||
		r.GetPolicyPackVersion() != Version || r.GetDiagnostic() != "" ||
		!strings.Contains(r.GetDescription(), "publiclyAccessible: true → false") {
		t.Errorf("remediation metadata: %v", r)
	}
	if b, _ := remGet(t, r.GetProperties(), "publiclyAccessible").Bool(); b {
		t.Error("publiclyAccessible still true")
	}
	// Everything else comes back exactly as sent, the secret still wrapped.
	want := proto.Clone(db(true).GetProperties()).(*structpb.Struct)
	want.Fields["publiclyAccessible"] = structpb.NewBoolValue(false)
	if !proto.Equal(want, r.GetProperties()) {
		t.Errorf("properties: got %v, want %v", r.GetProperties(), want)
	}
	if strings.Contains(r.GetDescription(), "hunter2") {
		t.Error("description shows a secret")
	}
	if d := remDiagnostics(ar, "rds-not-publicly-accessible"); len(d) != 0 {
		t.Errorf("the remediated inputs still fail: %v", d)
	}
	for _, na := range rr.GetNotApplicable() {
		if na.GetPolicyName() == "rds-not-publicly-accessible" {
			t.Errorf("the remediating policy is reported not applicable: %v", na)
		}
	}

	// Already private: nothing to change.
	if rr, _ := remediateOne(t, s, db(false)); len(rr.GetRemediations()) != 0 {
		t.Errorf("remediated a private instance: %v", rr)
	}

	// At the default level (mandatory) the pack reports and changes nothing.
	def := remediateServer(t, false, nil, nil)
	rr, ar = remediateOne(t, def, db(true))
	if len(rr.GetRemediations()) != 0 {
		t.Errorf("remediated at mandatory: %v", rr)
	}
	if d := remDiagnostics(ar, "rds-not-publicly-accessible"); len(d) != 1 ||
		d[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY {
		t.Errorf("at mandatory: %v", d)
	}
	found := false
	for _, na := range rr.GetNotApplicable() {
		if na.GetPolicyName() == "rds-not-publicly-accessible" {
			found = strings.Contains(na.GetReason(), "only at enforcement level remediate")
		}
	}
	if !found {
		t.Errorf("not applicable at mandatory, with the reason, expected: %v", rr.GetNotApplicable())
	}
}

func TestRemediateNeverOnUnknownsInPreview(t *testing.T) {
	s := remediateServer(t, true, map[string]pulumirpc.EnforcementLevel{
		"rds-not-publicly-accessible": remediateLevel, "opensearch-domain-encrypted": remediateLevel,
	}, nil)
	rr, ar := remediateOne(t, s, remRequest(typeRDSInstance, "db", map[string]any{
		"publiclyAccessible": props.NewUnknown(), "storageEncrypted": true}))
	if len(rr.GetRemediations()) != 0 {
		t.Errorf("remediated an unknown value: %v", rr)
	}
	if d := remDiagnostics(ar, "rds-not-publicly-accessible"); len(d) != 1 ||
		d[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_ADVISORY ||
		!strings.Contains(d[0].GetMessage(), "cannot be verified during preview: publiclyAccessible") {
		t.Errorf("an unknown publiclyAccessible must be reported as today, as advisory: %v", d)
	}
	// A known value is remediated in a preview as in an update.
	if rr, ar := remediateOne(t, s, remRequest(typeRDSInstance, "known", map[string]any{
		"publiclyAccessible": true, "storageEncrypted": true})); len(rr.GetRemediations()) != 1 ||
		len(remDiagnostics(ar, "rds-not-publicly-accessible")) != 0 {
		t.Errorf("a known value in preview: %v %v", rr, ar)
	}
	// One unknown the hook reads drops the whole remediation, and Analyze
	// reports as today: the advisory for the unknown and the known violation.
	rr, ar = remediateOne(t, s, remRequest(typeOpenSearchDomain, "search", map[string]any{
		"encryptAtRest": map[string]any{"enabled": true}, "nodeToNodeEncryption": map[string]any{"enabled": true},
		"domainEndpointOptions": map[string]any{"enforceHttps": false, "tlsSecurityPolicy": props.NewUnknown()},
	}))
	if len(rr.GetRemediations()) != 0 {
		t.Errorf("remediated with an unknown value read: %v", rr)
	}
	levels := map[pulumirpc.EnforcementLevel]int{}
	for _, d := range remDiagnostics(ar, "opensearch-domain-encrypted") {
		levels[d.GetEnforcementLevel()]++
	}
	if levels[pulumirpc.EnforcementLevel_MANDATORY] != 1 || levels[pulumirpc.EnforcementLevel_ADVISORY] != 1 {
		t.Errorf("want the mandatory enforceHttps finding and the advisory for the unknown: %v", ar)
	}
}

func TestRemediateLoadBalancerTLS(t *testing.T) {
	lvl := map[string]pulumirpc.EnforcementLevel{"load-balancer-tls": remediateLevel}
	s := remediateServer(t, false, lvl, nil)
	listener := func(m map[string]any) *pulumirpc.AnalyzeRequest {
		m["loadBalancerArn"] = "arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/app/lb/1"
		return remRequest(typeLBListener, "l", m)
	}
	cases := []struct {
		name   string
		server *server.Server
		in     map[string]any
		path   string
		want   any // nil: no remediation
	}{
		{"old policy", s, map[string]any{"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-2016-08"},
			"sslPolicy", recommendedSSLPolicy},
		{"no policy", s, map[string]any{"protocol": "HTTPS", "port": 443}, "sslPolicy", recommendedSSLPolicy},
		{"TLS listener", s, map[string]any{"protocol": "TLS", "port": 443, "sslPolicy": "ELBSecurityPolicy-TLS-1-1-2017-01"},
			"sslPolicy", recommendedSSLPolicy},
		{"FIPS stays FIPS", s, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04"},
			"sslPolicy", fipsSSLPolicy},
		{"allowed already", s, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS-1-2-2017-01"},
			"", nil},
		{"the first admitted one", remediateServer(t, false, lvl, map[string]map[string]any{
			"load-balancer-tls": {"allowedSslPolicies": []any{"ELBSecurityPolicy-TLS-1-2-*"}}}),
			map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08"},
			"sslPolicy", "ELBSecurityPolicy-TLS-1-2-2017-01"},
		{"patterns that admit no predefined policy", remediateServer(t, false, lvl, map[string]map[string]any{
			"load-balancer-tls": {"allowedSslPolicies": []any{"MyCustomPolicy"}}}),
			map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08"}, "", nil},
		{"HTTP forwards", s, map[string]any{"protocol": "HTTP", "port": 80, "defaultActions": []any{
			map[string]any{"type": "forward", "targetGroupArn": "arn:tg"}}},
			"defaultActions", []any{map[string]any{"type": "redirect", "redirect": map[string]any{
				"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"}}}},
		{"HTTP without protocol (the default)", s, map[string]any{"defaultActions": []any{
			map[string]any{"type": "fixed-response", "fixedResponse": map[string]any{"contentType": "text/plain", "statusCode": "404"}}}},
			"defaultActions", []any{map[string]any{"type": "redirect", "redirect": map[string]any{
				"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"}}}},
		{"HTTP keeps its redirect to HTTPS", s, map[string]any{"protocol": "HTTP", "defaultActions": []any{
			map[string]any{"type": "forward", "targetGroupArn": "arn:tg"},
			map[string]any{"type": "redirect", "redirect": map[string]any{"port": "8443", "protocol": "HTTPS", "statusCode": "HTTP_302"}}}},
			"defaultActions", []any{map[string]any{"type": "redirect", "redirect": map[string]any{
				"port": "8443", "protocol": "HTTPS", "statusCode": "HTTP_302"}}}},
		{"HTTP redirects already", s, map[string]any{"protocol": "HTTP", "defaultActions": []any{
			map[string]any{"type": "redirect", "redirect": map[string]any{"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"}}}},
			"", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rr, ar := remediateOne(t, c.server, listener(c.in))
			if c.want == nil {
				if len(rr.GetRemediations()) != 0 {
					t.Errorf("remediated: %v", rr)
				}
				return
			}
			if len(rr.GetRemediations()) != 1 {
				t.Fatalf("want one remediation: %v", rr)
			}
			got := props.ToGo(remGet(t, rr.GetRemediations()[0].GetProperties(), c.path))
			if !remEqual(got, props.ToGo(props.FromGo(c.want))) {
				t.Errorf("%s = %v, want %v", c.path, got, c.want)
			}
			if d := remDiagnostics(ar, "load-balancer-tls"); len(d) != 0 {
				t.Errorf("the remediated listener still fails: %v", d)
			}
		})
	}
}

func remEqual(a, b any) bool { return remJSON(a) == remJSON(b) }

func remJSON(x any) string {
	v := props.FromGo(x)
	var b strings.Builder
	var walk func(props.Value)
	walk = func(v props.Value) {
		switch v.Kind() {
		case props.Object:
			b.WriteString("{")
			for _, k := range v.Keys() {
				b.WriteString(k + ":")
				walk(v.Field(k))
				b.WriteString(",")
			}
			b.WriteString("}")
		case props.Array:
			b.WriteString("[")
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
				b.WriteString(",")
			}
			b.WriteString("]")
		default:
			b.WriteString(v.Describe())
		}
	}
	walk(v)
	return b.String()
}

func TestRemediateOpenSearchOnlyInPlace(t *testing.T) {
	s := remediateServer(t, false, map[string]pulumirpc.EnforcementLevel{"opensearch-domain-encrypted": remediateLevel}, nil)
	rr, ar := remediateOne(t, s, remRequest(typeOpenSearchDomain, "search", map[string]any{
		"encryptAtRest": map[string]any{"enabled": false}, "nodeToNodeEncryption": map[string]any{"enabled": true},
		"domainEndpointOptions": map[string]any{"enforceHttps": false, "tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07",
			"customEndpointEnabled": false},
	}))
	if len(rr.GetRemediations()) != 1 {
		t.Fatalf("want one remediation: %v", rr)
	}
	out := rr.GetRemediations()[0].GetProperties()
	if b, _ := remGet(t, out, "domainEndpointOptions.enforceHttps").Bool(); !b {
		t.Error("enforceHttps not set")
	}
	if p, _ := remGet(t, out, "domainEndpointOptions.tlsSecurityPolicy").Str(); p != openSearchTLSPolicy {
		t.Errorf("tlsSecurityPolicy %q", p)
	}
	if b, _ := remGet(t, out, "domainEndpointOptions.customEndpointEnabled").Bool(); b || remGet(t, out,
		"domainEndpointOptions.customEndpointEnabled").IsNull() {
		t.Error("a sibling of the fixed properties was lost")
	}
	if b, _ := remGet(t, out, "encryptAtRest.enabled").Bool(); b {
		t.Error("encryptAtRest changed: that replaces the domain")
	}
	d := remDiagnostics(ar, "opensearch-domain-encrypted")
	if len(d) != 1 || !strings.Contains(d[0].GetMessage(), "encryptAtRest.enabled is not true") ||
		strings.Contains(strings.SplitN(d[0].GetMessage(), "\n", 2)[0], "enforceHttps") ||
		d[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY {
		t.Errorf("what remediation cannot fix must stay reported, as mandatory: %v", d)
	}
	// Nothing set: the endpoint options are created.
	rr, _ = remediateOne(t, s, remRequest(typeOpenSearchDomain, "bare", map[string]any{
		"encryptAtRest": map[string]any{"enabled": true}, "nodeToNodeEncryption": map[string]any{"enabled": true}}))
	if len(rr.GetRemediations()) != 1 {
		t.Fatalf("want one remediation: %v", rr)
	}
	if p, _ := remGet(t, rr.GetRemediations()[0].GetProperties(), "domainEndpointOptions.tlsSecurityPolicy").Str(); p != openSearchTLSPolicy {
		t.Errorf("tlsSecurityPolicy %q", p)
	}
}

func TestRemediateALBIngress(t *testing.T) {
	s := remediateServer(t, false, map[string]pulumirpc.EnforcementLevel{"load-balancer-tls": remediateLevel}, nil)
	ingress := func(ann map[string]any) *pulumirpc.AnalyzeRequest {
		return remRequest(kube.TypeIngress, "api", map[string]any{
			"metadata": map[string]any{"name": "api", "namespace": "pulumi", "annotations": ann},
			"spec":     map[string]any{"ingressClassName": "alb"},
		})
	}
	a := func(k string) string { return "alb.ingress.kubernetes.io/" + k }
	rr, ar := remediateOne(t, s, ingress(map[string]any{
		a("scheme"): "internet-facing", a("certificate-arn"): "arn:aws:acm:us-west-2:1:certificate/x",
		a("listen-ports"): `[{"HTTP": 80}, {"HTTPS": 443}]`,
	}))
	if len(rr.GetRemediations()) != 1 {
		t.Fatalf("want one remediation: %v", rr)
	}
	out := rr.GetRemediations()[0].GetProperties()
	if v, _ := remGet(t, out, `metadata.annotations["alb.ingress.kubernetes.io/ssl-redirect"]`).Str(); v != "443" {
		t.Errorf("ssl-redirect %q", v)
	}
	if v, _ := remGet(t, out, `metadata.annotations["alb.ingress.kubernetes.io/ssl-policy"]`).Str(); v != recommendedSSLPolicy {
		t.Errorf("ssl-policy %q", v)
	}
	if d := remDiagnostics(ar, "load-balancer-tls"); len(d) != 0 {
		t.Errorf("the remediated Ingress still fails: %v", d)
	}
	// No HTTPS listener: that needs a certificate, so it is reported.
	rr, ar = remediateOne(t, s, ingress(map[string]any{a("scheme"): "internet-facing"}))
	if len(rr.GetRemediations()) != 0 || len(remDiagnostics(ar, "load-balancer-tls")) != 1 {
		t.Errorf("an Ingress without HTTPS: remediations %v, diagnostics %v", rr, ar)
	}
}

func TestRemediateSkipsExemptionsAndPoliciesThatCannot(t *testing.T) {
	s := remediateServer(t, false, map[string]pulumirpc.EnforcementLevel{
		"rds-not-publicly-accessible": remediateLevel, "rds-storage-encrypted": remediateLevel,
	}, nil)
	rr, ar := remediateOne(t, s, remRequest(typeRDSInstance, "db", map[string]any{
		"publiclyAccessible": true,
		"tags":               map[string]any{"selfhosted-hardening:exempt": "rds-not-publicly-accessible: bastion-less lab"},
	}))
	if len(rr.GetRemediations()) != 0 {
		t.Errorf("remediated an exempted resource: %v", rr)
	}
	if d := remDiagnostics(ar, "rds-not-publicly-accessible"); len(d) != 1 ||
		d[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_ADVISORY {
		t.Errorf("the exempted finding: %v", d)
	}
	// rds-storage-encrypted cannot remediate (storageEncrypted replaces the
	// database): at remediate it reports, as mandatory, and says so.
	if d := remDiagnostics(ar, "rds-storage-encrypted"); len(d) != 1 ||
		d[0].GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY {
		t.Errorf("a policy that cannot remediate must be mandatory at remediate: %v", d)
	}
	found := false
	for _, na := range rr.GetNotApplicable() {
		if na.GetPolicyName() == "rds-storage-encrypted" && strings.Contains(na.GetReason(), "cannot remediate") {
			found = true
		}
	}
	if !found {
		t.Errorf("rds-storage-encrypted not reported as unable to remediate: %v", rr.GetNotApplicable())
	}
	for _, p := range All() {
		if p.Remediates() != map[string]bool{"rds-not-publicly-accessible": true, "load-balancer-tls": true,
			"opensearch-domain-encrypted": true, "object-store-tls": true}[p.Name] {
			t.Errorf("%s: remediates %v, not as documented", p.Name, p.Remediates())
		}
	}
}
