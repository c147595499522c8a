package kube_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// edgeProbe reads every edge through ReadEdge and reports nothing itself:
// what ReadEdge notes (unknown and malformed annotations) is all it says.
var edgeProbe = &policy.Policy{
	Name: "edge-probe", DisplayName: "Edge probe", Description: "Reads Ingresses and Services with kube.ReadEdge.",
	Section: policy.Section{Tag: "network", Title: "Network", URL: "https://example.com/probe"},
	Level:   policy.Advisory, Severity: policy.Low, Remediation: "None.", Reference: "edge",
	Types: kube.EdgeTypes,
	Resource: func(ctx *policy.ResourceContext) {
		e, ok := kube.ReadEdge(ctx.Reader, true)
		if _, ok2 := kube.ReadEdge(ctx.Reader, false); ok2 != ok {
			panic("ReadEdge decides whether a resource is an edge differently with and without tls")
		}
		if !ok {
			return
		}
		// The fields hold what the annotations say; walk them so a
		// malformed shape that slipped through would panic here.
		for _, l := range e.Listeners {
			_ = l.Protocol + e.ListenersPath
		}
		for _, r := range append(append([]kube.Range(nil), e.Sources...), e.SecurityGroups...) {
			_ = r.Text + r.Path
		}
	},
}

const plantedSecret = "zq-planted-Secret-7f3a"

// FuzzReadEdge feeds arbitrary annotations and specs of Ingresses and
// Services (JSON, with "<unknown>" for a value not known until update and
// SECRET for a planted secret) to ReadEdge and to the pack. Nothing may
// panic; no note of ReadEdge may carry the planted secret, checked before
// the pack's redaction (the input's secret strings are made the stack's
// organization, which the safety net leaves alone); and no finding of the
// pack may carry it.
func FuzzReadEdge(f *testing.F) {
	for _, s := range []struct {
		typ       uint8
		ann, spec string
	}{
		{0, `{"kubernetes.io/ingress.class": "alb", "alb.ingress.kubernetes.io/scheme": "internet-facing",
			"alb.ingress.kubernetes.io/listen-ports": "[{\"HTTP\": 80}, {\"HTTPS\": 443}]",
			"alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:x", "alb.ingress.kubernetes.io/security-groups": "sg-0abc"}`, `{}`},
		{0, `{"alb.ingress.kubernetes.io/scheme": "SECRET"}`, `{"ingressClassName": "alb"}`},
		{0, `{"alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/inbound-cidrs": "10.0.0.0/8,SECRET"}`, `{}`},
		{0, `{"alb.ingress.kubernetes.io/listen-ports": "[{\"HTTPS\": \"SECRET\"}]", "alb.ingress.kubernetes.io/certificate-arn": "a"}`, `{}`},
		{0, `{"alb.ingress.kubernetes.io/listen-ports": "[{\"SECRET\": 80}]"}`, `{}`},
		{0, `{"alb.ingress.kubernetes.io/listen-ports": "SECRET[{"}`, `{}`},
		{0, `{"alb.ingress.kubernetes.io/listen-ports": 443, "alb.ingress.kubernetes.io/ssl-policy": ["x"]}`, `{}`},
		{0, `{"alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/ssl-policy": "SECRET",
			"alb.ingress.kubernetes.io/certificate-arn": "<unknown>", "alb.ingress.kubernetes.io/ssl-redirect": "<unknown>"}`, `{}`},
		{0, `{"alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/security-groups": "pulumi-alb, SECRET"}`, `{}`},
		{1, `{"nginx.ingress.kubernetes.io/whitelist-source-range": "SECRET", "nginx.ingress.kubernetes.io/ssl-redirect": "false"}`,
			`{"tls": [{"secretName": "SECRET"}]}`},
		{2, `{"kubernetes.io/ingress.class": "nginx"}`, `{"tls": "<unknown>"}`},
		{3, `{"service.beta.kubernetes.io/aws-load-balancer-scheme": "SECRET", "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": "SECRET"}`,
			`{"type": "LoadBalancer", "loadBalancerSourceRanges": ["SECRET", 7, null]}`},
		{3, `{"service.beta.kubernetes.io/load-balancer-source-ranges": "SECRET", "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "SECRET"}`,
			`{"type": "LoadBalancer"}`},
		{3, `{"service.beta.kubernetes.io/aws-load-balancer-security-groups": "pulumi-alb"}`, `{"type": "<unknown>"}`},
		{0, `"<unknown>"`, `{}`}, {3, `["a"]`, `{"type": "LoadBalancer"}`}, {0, `"SECRET"`, `null`}, {1, `null`, `"x"`},
		{0, `{"alb.ingress.kubernetes.io/scheme": {"a": 1}, "alb.ingress.kubernetes.io/inbound-cidrs": ["SECRET"]}`, `{"ingressClassName": 3}`},
		// Azure and GKE internal load balancers (issues 19, 20).
		{3, `{"service.beta.kubernetes.io/azure-load-balancer-internal": "SECRET"}`, `{"type": "LoadBalancer", "loadBalancerSourceRanges": ["SECRET"]}`},
		{3, `{"service.beta.kubernetes.io/azure-load-balancer-internal": true, "networking.gke.io/load-balancer-type": "<unknown>"}`, `{"type": "LoadBalancer"}`},
		{3, `{"networking.gke.io/load-balancer-type": "External", "cloud.google.com/load-balancer-type": ["Internal"]}`, `{"type": "LoadBalancer"}`},
	} {
		f.Add(s.typ, s.ann, s.spec)
	}
	pack := policies.Pack()
	probe, err := policy.NewPack("probe", "Probe", "0.0.0", "probe", policy.Guide{Name: "Probe", Version: "0"}, edgeProbe)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, typ uint8, ann, spec string) {
		annV, ok1 := fuzzValue(ann)
		specV, ok2 := fuzzValue(spec)
		if !ok1 || !ok2 {
			return
		}
		typeOf := kube.EdgeTypes[int(typ)%len(kube.EdgeTypes)]
		in := props.NewObject(map[string]props.Value{
			"metadata": props.NewObject(map[string]props.Value{"namespace": props.NewString("pulumi"),
				"name": props.NewString("edge"), "annotations": annV}),
			"spec": specV,
		})
		edge := &graph.Resource{URN: fixture.URN(typeOf, "edge"), Type: typeOf, Name: "edge", Props: in, Outputs: in}
		sg := props.FromGo(map[string]any{"name": "pulumi-alb", "ingress": []any{map[string]any{"protocol": "tcp",
			"fromPort": 443, "toPort": 443, "cidrBlocks": []any{"0.0.0.0/0"}}}})
		group := &graph.Resource{URN: fixture.URN("aws:ec2/securityGroup:SecurityGroup", "alb-sg"),
			Type: "aws:ec2/securityGroup:SecurityGroup", Name: "alb-sg", Props: sg, Outputs: sg}
		resources := []*graph.Resource{edge, group}
		for _, dry := range []bool{true, false} {
			// ReadEdge's notes, unredacted: every secret string of the input
			// is part of the organization's name, which the pack's safety
			// net counts as public text.
			public := append([]string{plantedSecret}, fixture.SecretStrings(in)...)
			env := &policy.Env{DryRun: dry, Organization: strings.Join(public, "\n")}
			fs := probe.Analyze(env, probe.DefaultConfiguration(), edge)
			check(t, "ReadEdge note", fs, true)
			// The pack, as the engine runs it.
			env = &policy.Env{DryRun: dry}
			cfg := pack.DefaultConfiguration()
			fs = nil
			for _, r := range resources {
				fs = append(fs, pack.Analyze(env, cfg, r)...)
			}
			fs = append(fs, pack.AnalyzeStack(env, cfg, graph.New(resources))...)
			fixture.NoSecrets(t, pack, fs, env, resources...)
			check(t, "finding", fs, false)
		}
	})
}

// check fails on a policy error, and on the planted secret in any message.
func check(t *testing.T, what string, fs []policy.Finding, strict bool) {
	t.Helper()
	for _, f := range fs {
		if f.Kind == policy.PolicyError {
			t.Fatalf("%s: %s failed: %s", what, f.Policy.Name, f.Message)
		}
		text := f.Message + f.What + f.Fix
		if strings.Contains(text, plantedSecret) || strict && strings.Contains(strings.ToUpper(text), strings.ToUpper(plantedSecret)) {
			t.Fatalf("%s of %s carries the planted secret: %s", what, f.Policy.Name, f.Message)
		}
	}
}

// fuzzValue parses a fuzzed JSON document into a value: "<unknown>" is a
// value not known until update, and a string holding SECRET holds the planted
// secret and is a Pulumi secret. ok is false for text that is not JSON, and
// for a document with the secret in an object key (keys are no secrets).
func fuzzValue(doc string) (props.Value, bool) {
	var x any
	if json.Unmarshal([]byte(doc), &x) != nil {
		return props.Value{}, false
	}
	bad := false
	var conv func(any) props.Value
	conv = func(x any) props.Value {
		switch v := x.(type) {
		case string:
			if v == "<unknown>" {
				return props.NewUnknown()
			}
			if strings.Contains(v, "SECRET") {
				return props.Secret(props.NewString(strings.ReplaceAll(v, "SECRET", plantedSecret)))
			}
			return props.NewString(v)
		case map[string]any:
			m := make(map[string]props.Value, len(v))
			for k, item := range v {
				if strings.Contains(k, "SECRET") || strings.Contains(strings.ToUpper(k), strings.ToUpper(plantedSecret)) {
					bad = true
				}
				m[k] = conv(item)
			}
			return props.NewObject(m)
		case []any:
			items := make([]any, len(v))
			for i, item := range v {
				items[i] = conv(item)
			}
			return props.FromGo(items)
		}
		return props.FromGo(x)
	}
	v := conv(x)
	return v, !bad
}
