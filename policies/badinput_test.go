package policies

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	. "github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// badWorld has a resource of every kind the policies read, each in the
// shape of a hardened deployment, so that a bad value anywhere is seen by the
// policy that reads it.
func badWorld() []*Res {
	rs := append(dbWorld(nil,
		R(tSGRule, "app-in", m{"type": "ingress", "protocol": "tcp", "fromPort": 8080, "toPort": 8080,
			"securityGroupId": ID("app-sg"), "sourceSecurityGroupId": ID("lb-sg")}),
		R(tIn, "db-in", m{"ipProtocol": "tcp", "fromPort": 3306, "toPort": 3306, "securityGroupId": ID("db-sg"),
			"referencedSecurityGroupId": ID("app-sg")}),
		R(tSG, "lb-sg", m{"ingress": l{m{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": l{"203.0.113.0/24"}}}}),
		R(typeLoadBalancer, "lb", m{"internal": false, "securityGroups": l{ID("lb-sg")}, "subnets": l{ID("public-a")}}),
		R(typeLBListener, "https", m{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"loadBalancerArn": ID("lb"), "defaultActions": l{m{"type": "forward", "targetGroupArn": ID("tg")}}}),
		R(typeLBListener, "http", m{"protocol": "HTTP", "defaultActions": l{m{"type": "redirect",
			"redirect": m{"protocol": "HTTPS", "port": "443"}}}}),
		R(typeLBListenerRule, "rule", m{"listenerArn": ID("https"), "actions": l{m{"type": "forward", "targetGroupArn": ID("tg")}}}),
		R(typeLBTargetGroup, "tg", m{"protocol": "HTTPS", "port": 8443}),
		taskDef("td", hardenedAPI()),
		R(typeECSService, "svc", m{"taskDefinition": ID("td"), "networkConfiguration": m{"subnets": l{ID("private-a")},
			"securityGroups": l{ID("app-sg")}, "assignPublicIp": false},
			"loadBalancers": l{m{"containerName": "api", "targetGroupArn": ID("tg")}}}),
		R(typeRDSClusterParameterGroup, "pg", m{"parameters": l{m{"name": "require_secure_transport", "value": "ON"}}}),
		R(typeRDSInstance, "inst", m{"engine": "postgres", "engineVersion": "16.2", "storageEncrypted": true,
			"publiclyAccessible": false, "password": Secret("pw"), "dbSubnetGroupName": ID("db-subnets")}),
		R(typeS3BucketV2, "bucket", m{}),
		R(typeS3EncryptionV2, "bucket-sse", m{"bucket": ID("bucket"), "rules": l{m{
			"applyServerSideEncryptionByDefault": m{"sseAlgorithm": "aws:kms"}}}}),
		R(typeOpenSearchDomain, "search", m{"encryptAtRest": m{"enabled": true}, "nodeToNodeEncryption": m{"enabled": true},
			"domainEndpointOptions": m{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
			"vpcOptions":            m{"subnetIds": l{ID("private-a")}, "securityGroupIds": l{ID("search-sg")}}}),
		R(tSG, "search-sg", m{"ingress": l{m{"protocol": "tcp", "fromPort": 443, "toPort": 443,
			"securityGroups": l{ID("app-sg")}}}}),
		R(typeSecretVersion, "sv", m{"secretString": Secret("s")}),
		R(typeSSMParameter, "param", m{"type": "SecureString", "name": "/app/password", "value": Secret("v")}),
		R(typeEC2Instance, "vm", m{"subnetId": ID("private-a"), "vpcSecurityGroupIds": l{ID("app-sg")}}),
	), R(tSG, "app-sg", m{"vpcId": ID("vpc")}))
	for _, r := range rs {
		if r.Name == "db" {
			r.Inputs["dbClusterParameterGroupName"] = ID("pg")
		}
	}
	return rs
}

// paths lists every place in a literal: object keys and array items, at
// every depth.
func paths(x any, at []any) [][]any {
	var out [][]any
	switch t := x.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := append(append([]any(nil), at...), k)
			out = append(out, p)
			out = append(out, paths(t[k], p)...)
		}
	case []any:
		for i, it := range t {
			p := append(append([]any(nil), at...), i)
			out = append(out, p)
			out = append(out, paths(it, p)...)
		}
	}
	return out
}

// replace returns a deep copy of x with the value at path set to v.
func replace(x any, path []any, v any) any {
	if len(path) == 0 {
		return v
	}
	switch t := x.(type) {
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, it := range t {
			c[k] = it
		}
		k := path[0].(string)
		c[k] = replace(t[k], path[1:], v)
		return c
	case []any:
		c := append([]any(nil), t...)
		i := path[0].(int)
		c[i] = replace(t[i], path[1:], v)
		return c
	}
	return x
}

type badValue struct {
	name string
	v    any
}

var badValues = []badValue{
	{"unknown", Unknown},
	{"null", nil},
	{"empty string", ""},
	{"huge string", strings.Repeat("A", 256<<10)},
	{"number", 7},
	{"negative", -1},
	{"bool", true},
	{"object", m{"x": l{1}}},
	{"array", l{"a", 2, nil}},
	{"invalid json", "{[\"unterminated"},
	{"secret", Secret("BAD-INPUT-SECRET-0x51")},
}

// TestBadInput puts every bad value at every property every policy can read,
// in both modes, and runs the whole pack. It must never panic (a policy
// error), never leak a secret, always say which resource a finding is about,
// and never turn an unknown into a mandatory finding that the hardened
// world did not have.
func TestBadInput(t *testing.T) {
	pack := Pack()
	cfg, err := pack.Configure(map[string]policy.RawConfig{"load-balancer-ingress-allowlist": {
		Properties: map[string]any{"ingressAllowList": []any{"203.0.113.0/24"}}}})
	if err != nil {
		t.Fatal(err)
	}
	world := badWorld()
	run := func(mode Mode, rs []*Res) []policy.Finding {
		return AnalyzeAll(t, pack, cfg, &policy.Env{}, mode, rs...)
	}
	mandatory := func(fs []policy.Finding) map[string]bool {
		out := map[string]bool{}
		for _, f := range fs {
			if f.Level == policy.Mandatory {
				out[f.Policy.Name+" "+f.URN()] = true
			}
		}
		return out
	}
	cases := 0
	for _, mode := range Modes {
		baseline := mandatory(run(mode, world))
		if len(baseline) != 0 {
			t.Fatalf("%s: the hardened world has mandatory findings: %v", mode, baseline)
		}
		for i, r := range world {
			for _, p := range paths(r.Inputs, nil) {
				for _, b := range badValues {
					cases++
					mutated := append([]*Res(nil), world...)
					c := *r
					c.Inputs = replace(r.Inputs, p, b.v).(map[string]any)
					mutated[i] = &c
					where := fmt.Sprintf("%s: %s %v = %s", mode, r.Name, p, b.name)
					for _, f := range run(mode, mutated) {
						switch {
						case f.Kind == policy.PolicyError:
							t.Errorf("%s: a policy panicked: %s", where, f.Message)
						case f.Message == "" || (f.Resource != nil && !strings.Contains(f.Message, f.Resource.Label())):
							t.Errorf("%s: the finding does not name its resource: %q", where, f.Message)
						case b.name == "unknown" && f.Level == policy.Mandatory && !baseline[f.Policy.Name+" "+f.URN()]:
							t.Errorf("%s: an unknown value gave a mandatory finding: %s", where, f.Message)
						}
					}
				}
			}
		}
	}
	t.Logf("%d mutations checked", cases)
}
