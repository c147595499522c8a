package policies_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

// fuzzSecret is planted, as a Pulumi secret, in every fuzzed input: no
// message may ever show it.
const fuzzSecret = "FUZZ-SECRET-7d1c9"

// session is one server, configured like a preview, for the fuzz targets.
func session(t testing.TB, dryRun bool) *server.Server {
	s := server.New(policies.Pack())
	_, err := s.ConfigureStack(context.Background(), &pulumirpc.AnalyzerStackConfigureRequest{
		Project: "p", Stack: "dev", DryRun: dryRun,
		Config:           map[string]string{"p:apiToken": fuzzSecret},
		ConfigSecretKeys: []string{"p:apiToken"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// judge runs the resources through Analyze and AnalyzeStack and fails on an
// error, a policy that panicked, or a leaked secret.
func judge(t *testing.T, s *server.Server, rs ...*pulumirpc.AnalyzerResource) {
	ctx := context.Background()
	var diags []*pulumirpc.AnalyzeDiagnostic
	for _, r := range rs {
		resp, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: r.Urn, Type: r.Type, Name: r.Name, Properties: r.Properties})
		if err != nil {
			t.Fatalf("Analyze %s: %v", r.Type, err)
		}
		diags = append(diags, resp.GetDiagnostics()...)
	}
	resp, err := s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: rs})
	if err != nil {
		t.Fatalf("AnalyzeStack: %v", err)
	}
	diags = append(diags, resp.GetDiagnostics()...)
	for _, d := range diags {
		if strings.Contains(d.GetMessage(), "This is a bug in the policy pack") {
			t.Fatalf("a policy panicked: %s", d.GetMessage())
		}
		if strings.Contains(d.GetMessage(), fuzzSecret) {
			t.Fatalf("secret leaked: %s", d.GetMessage())
		}
		if d.GetMessage() == "" || d.GetPolicyName() == "" {
			t.Fatalf("empty diagnostic: %v", d)
		}
	}
}

// types are the resource types the policies look at.
var types = []string{
	"aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster",
	"aws:rds/clusterInstance:ClusterInstance", "aws:rds/subnetGroup:SubnetGroup",
	"aws:rds/parameterGroup:ParameterGroup", "aws:rds/clusterParameterGroup:ClusterParameterGroup",
	"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
	"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/route:Route",
	"aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/internetGateway:InternetGateway",
	"aws:ec2/securityGroup:SecurityGroup", "aws:ec2/securityGroupRule:SecurityGroupRule",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/instance:Instance",
	"aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition", "aws:lb/loadBalancer:LoadBalancer",
	"aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule", "aws:lb/targetGroup:TargetGroup",
	"aws:opensearch/domain:Domain", "aws:secretsmanager/secretVersion:SecretVersion", "aws:ssm/parameter:Parameter",
}

// toWire turns JSON into properties, reading "<unknown>" as an unknown and
// "<secret>x" as a secret x, and plants the fuzz secret.
func toWire(doc any) *structpb.Struct {
	var conv func(x any) props.Value
	conv = func(x any) props.Value {
		switch t := x.(type) {
		case string:
			switch {
			case t == "<unknown>":
				return props.NewUnknown()
			case strings.HasPrefix(t, "<secret>"):
				return props.Secret(props.NewString(strings.TrimPrefix(t, "<secret>")))
			}
		case []any:
			items := make([]props.Value, len(t))
			for i, it := range t {
				items[i] = conv(it)
			}
			return props.NewArray(items...)
		case map[string]any:
			m := make(map[string]props.Value, len(t))
			for k, it := range t {
				m[k] = conv(it)
			}
			return props.NewObject(m)
		}
		return props.FromGo(x)
	}
	v := conv(doc)
	m, ok := v.Object()
	if !ok {
		m = map[string]props.Value{"value": v}
	}
	m["tags"] = props.NewObject(map[string]props.Value{"owner": props.Secret(props.NewString(fuzzSecret))})
	return props.EncodeObject(props.NewObject(m))
}

// FuzzAnalyze feeds arbitrary property maps, as JSON with unknown and
// secret markers, to every policy: typ picks the resource type, and a second
// resource of the next type refers to the first.
func FuzzAnalyze(f *testing.F) {
	for i, seed := range []string{
		`{"storageEncrypted": "<unknown>", "engine": 7}`,
		`{"ingress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0", "<secret>10.0.0.0/8"]}]}`,
		`{"containerDefinitions": "[{\"name\":\"api\",\"image\":\"pulumi/service\",\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"x\"}]}]"}`,
		`{"subnetIds": ["<unknown>", null, 3], "dbSubnetGroupName": {"a": []}}`,
		`{"routes": [{"cidrBlock": "0.0.0.0/0", "gatewayId": "<unknown>"}], "vpcId": "vpc-1"}`,
		`{"defaultActions": [{"type": "redirect", "redirect": "HTTPS"}], "protocol": "HTTP"}`,
		`{"parameters": [{"name": "require_secure_transport"}], "engine": "aurora-mysql"}`,
		`{"type": "String", "name": "/a/password", "value": "<secret>pw"}`,
		`[]`, `null`, `"x"`, `{"a": {"b": {"c": [[[[]]]]}}}`,
	} {
		f.Add(uint8(i*5), seed)
	}
	f.Fuzz(func(t *testing.T, typ uint8, doc string) {
		var x any
		if json.Unmarshal([]byte(doc), &x) != nil {
			x = map[string]any{"value": doc}
		}
		first := types[int(typ)%len(types)]
		second := types[(int(typ)+1)%len(types)]
		a := &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + first + "::a", Type: first, Name: "a",
			Properties: toWire(x)}
		refs, _ := json.Marshal(map[string]any{"subnetIds": []any{"a-id"}, "bucket": "a-id",
			"securityGroupId": "a-id", "routeTableId": "<unknown>", "listenerArn": "a-id", "vpcSecurityGroupIds": []any{"<unknown>"}})
		var y any
		_ = json.Unmarshal(refs, &y)
		b := &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + second + "::b", Type: second, Name: "b",
			Properties: toWire(y), PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{
				"routeTableId": {Urns: []string{a.Urn}}, "vpcSecurityGroupIds": {Urns: []string{a.Urn}},
			}}
		for _, dry := range []bool{true, false} {
			judge(t, session(t, dry), a, b)
		}
	})
}

// FuzzContainerDefinitions feeds arbitrary text as a task definition's
// containerDefinitions, plain and secret, with the service's images.
func FuzzContainerDefinitions(f *testing.F) {
	for _, seed := range []string{
		`[{"name":"api","image":"pulumi/service:latest","environment":[{"name":"PULUMI_LICENSE_KEY","value":"` + fuzzSecret + `"}],"secrets":[]}]`,
		`[{"name":"ui","image":"x.dkr.ecr.us-west-2.amazonaws.com/pulumi/console:1","environment":[{"name":"CONSOLE_MIN_TLS_VERSION","value":"1.0"}]}]`,
		`[{"image":"pulumi/migrations","environment":{"a":1}}]`, `[{`, `{}`, `[1, "x", null]`, ``, `[]`,
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, defs string, secret bool) {
		v := props.NewString(defs)
		if secret {
			v = props.Secret(v)
		}
		for _, dry := range []bool{true, false} {
			judge(t, session(t, dry), &pulumirpc.AnalyzerResource{
				Urn: "urn:pulumi:dev::p::aws:ecs/taskDefinition:TaskDefinition::td", Type: "aws:ecs/taskDefinition:TaskDefinition",
				Name: "td", Properties: props.EncodeObject(props.NewObject(map[string]props.Value{"containerDefinitions": v})),
			})
		}
	})
}

// FuzzSecurityGroupRule feeds arbitrary CIDRs, ports and protocols to the
// security group policies, in all three rule forms, attached to a database,
// an app service and an internet-facing load balancer.
func FuzzSecurityGroupRule(f *testing.F) {
	f.Add("0.0.0.0/0", "tcp", 22.0, 22.0, "203.0.113.0/24")
	f.Add("::/0", "-1", 0.0, 0.0, "0.0.0.0/0")
	f.Add("10.0.0.300/8", "TCP", 443.0, 80.0, "x")
	f.Add("1.2.3.4", "udp", -1.0, 70000.0, "")
	f.Add("2001:db8::/129", "6", 1e300, -1e300, "::/0")
	f.Fuzz(func(t *testing.T, cidr, proto string, from, to float64, allow string) {
		rule := map[string]any{"protocol": proto, "fromPort": from, "toPort": to, "cidrBlocks": []any{cidr},
			"ipv6CidrBlocks": []any{"<secret>" + cidr}}
		mk := func(typ, name string, m map[string]any) *pulumirpc.AnalyzerResource {
			return &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + typ + "::" + name, Type: typ, Name: name,
				Properties: toWire(m)}
		}
		rs := []*pulumirpc.AnalyzerResource{
			mk("aws:ec2/securityGroup:SecurityGroup", "sg", map[string]any{"ingress": []any{rule}, "egress": []any{rule}}),
			mk("aws:ec2/securityGroupRule:SecurityGroupRule", "r1", map[string]any{"type": "ingress", "protocol": proto,
				"fromPort": from, "toPort": to, "cidrBlocks": []any{cidr}, "securityGroupId": "sg-id"}),
			mk("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "r2", map[string]any{"ipProtocol": proto,
				"fromPort": from, "toPort": to, "cidrIpv4": cidr, "cidrIpv6": cidr, "securityGroupId": "sg-id"}),
			mk("aws:rds/cluster:Cluster", "db", map[string]any{"engine": "aurora-mysql", "vpcSecurityGroupIds": []any{"sg-id"}}),
			mk("aws:ecs/service:Service", "svc", map[string]any{"networkConfiguration": map[string]any{"securityGroups": []any{"sg-id"}}}),
			mk("aws:lb/loadBalancer:LoadBalancer", "lb", map[string]any{"securityGroups": []any{"sg-id"}}),
		}
		rs[0].Properties.Fields["id"] = structpb.NewStringValue("sg-id")
		s := session(t, false)
		// The allowlist goes through Configure, which must refuse what it
		// cannot parse rather than let a policy trip over it.
		cfg, _ := structpb.NewStruct(map[string]any{"ingressAllowList": []any{allow}})
		_, cfgErr := s.Configure(context.Background(), &pulumirpc.ConfigureAnalyzerRequest{
			PolicyConfig: map[string]*pulumirpc.PolicyConfig{"load-balancer-ingress-allowlist": {
				EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: cfg}}})
		if cfgErr != nil && !strings.Contains(cfgErr.Error(), "ingressAllowList") {
			t.Fatalf("Configure error does not name the property: %v", cfgErr)
		}
		judge(t, s, rs...)
	})
}

func TestFuzzSeedsRun(t *testing.T) {
	// The seeds above also run as plain tests (go test runs f.Add seeds);
	// this checks the type list covers every type the pack names.
	named := map[string]bool{}
	for _, typ := range types {
		named[typ] = true
	}
	for _, p := range policies.All() {
		for _, typ := range p.Types {
			if !named[typ] && !strings.HasPrefix(typ, "aws:alb/") && !strings.Contains(typ, "elasticsearch") &&
				!strings.Contains(typ, "bucketServerSideEncryptionConfiguration:") {
				t.Errorf("FuzzAnalyze never picks %s (policy %s)", typ, p.Name)
			}
		}
	}
}
