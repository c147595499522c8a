package policies_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
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
// error, a policy that panicked, an empty diagnostic, or a leaked secret: the
// config secret, or any string inside a secret of the inputs (also inside a
// JSON document held in a secret), unless it is public text
// (policy.Pack.IsPublic, as fixture.NoSecrets judges). It returns the
// diagnostics.
func judge(t *testing.T, s *server.Server, rs ...*pulumirpc.AnalyzerResource) []*pulumirpc.AnalyzeDiagnostic {
	t.Helper()
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
	secrets := secretsOf(rs...)
	for _, d := range diags {
		msg := d.GetMessage()
		if strings.Contains(msg, "This is a bug in the policy pack") {
			t.Fatalf("a policy panicked: %s", msg)
		}
		if d.GetMessage() == "" || d.GetPolicyName() == "" {
			t.Fatalf("empty diagnostic: %v", d)
		}
		// What the redaction writes in place of a secret is not a leak of
		// a secret that happens to be part of it.
		marked := strings.ReplaceAll(msg, "[secret]", "\x00")
		for _, sec := range secrets {
			if strings.Contains(marked, sec) || strings.Contains(sec, "[secret]") && strings.Contains(msg, sec) {
				t.Fatalf("secret %q leaked: %s", sec, msg)
			}
		}
	}
	return diags
}

// fuzzEnv is the env session configures, for IsPublic.
var fuzzEnv = &policy.Env{Project: "p", Stack: "dev"}

// secretsOf lists the config secret and the non-public strings inside
// secrets of the resources' properties (fixture.SecretStrings), with the
// strings of JSON documents held in secret strings, as the pack's redaction
// finds them; but not a secret that the inputs also hold in plain text (a
// value secret in one resource and plain in another may show through the
// plain one).
func secretsOf(rs ...*pulumirpc.AnalyzerResource) []string {
	pack := policies.Pack()
	var plain []string
	for _, r := range rs {
		plain = append(plain, plainStrings(props.Decode(r.GetProperties()))...)
	}
	inPlain := func(s string) bool {
		return slices.ContainsFunc(plain, func(p string) bool { return strings.Contains(p, s) })
	}
	seen := map[string]bool{}
	var out []string
	var add func(s string)
	add = func(s string) {
		if seen[s] || strings.ContainsRune(s, 0) {
			return
		}
		seen[s] = true
		if !pack.IsPublic(fuzzEnv, s) && !inPlain(s) {
			out = append(out, s)
		}
		if t := strings.TrimSpace(s); len(t) > 1 && (t[0] == '[' || t[0] == '{') {
			if doc, err := props.ParseJSON([]byte(s)); err == nil {
				for _, inner := range fixture.SecretStrings(props.Secret(doc)) {
					add(inner)
				}
			}
		}
	}
	add(fuzzSecret)
	for _, r := range rs {
		for _, sec := range fixture.SecretStrings(props.Decode(r.GetProperties())) {
			add(sec)
		}
	}
	return out
}

// types are the resource types the policies look at: those the stack
// policies read through the graph (listed), then every type an adapter reads
// and every type a policy lists (added in order), so a new adapter's or
// policy's type is fuzzed without editing this.
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
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
	"aws:ec2/defaultRouteTable:DefaultRouteTable", "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
	"aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "aws:ec2/managedPrefixList:ManagedPrefixList",
	"aws:ec2/launchTemplate:LaunchTemplate", "aws:eks/nodeGroup:NodeGroup", "aws:autoscaling/group:Group",
}

func init() {
	for _, typ := range policies.AdapterTypes() {
		if !slices.Contains(types, typ) {
			types = append(types, typ)
		}
	}
	for _, p := range policies.All() {
		for _, typ := range p.Types {
			if !slices.Contains(types, typ) {
				types = append(types, typ)
			}
		}
	}
}

// toWire turns JSON into properties, reading "<unknown>" as an unknown and
// "<secret>x" as a secret x, and plants the fuzz secret as a tag (beside the
// resource's own tags).
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
	tags, _ := m["tags"].Object()
	merged := map[string]props.Value{"owner": props.Secret(props.NewString(fuzzSecret))}
	for k, v := range tags {
		merged[k] = v
	}
	m["tags"] = props.NewObject(merged)
	return props.EncodeObject(props.NewObject(m))
}

// plant is a resource holding secrets where messages quote values, and the
// policy whose finding on it quotes them (TestPlantedSecretsAreQuoted
// checks that it does, redacted).
type plant struct {
	typ, name string
	props     map[string]any
	quotedBy  []string // the policies whose findings on it quote its secrets
}

// planted are resources whose secrets sit where policies print values
// (with %q, %s or Describe): CIDRs, an SSL policy, an action type, an engine
// name, a parameter group value, a container environment variable's name
// and value, a TLS version, subnet, security group and gateway ids, a DB
// subnet group name, a parameter name, an SSE algorithm, a TLS security
// policy, a target group protocol and an exemption tag's reason.
// FuzzAnalyze analyses them beside every fuzzed input.
func planted() []plant {
	const sec = "<secret>"
	ids := func(names ...string) []any {
		out := make([]any, len(names))
		for i, n := range names {
			out[i] = n + "-id"
		}
		return out
	}
	secretDefs, _ := json.Marshal([]any{map[string]any{"name": "api", "image": "pulumi/service:1",
		"environment": []any{
			map[string]any{"name": "X_FUZZSECRET7D1C9_PASSWORD", "value": "plain"},
			map[string]any{"name": "BACKUP_URL", "value": "https://admin:" + fuzzSecret + "@db.example.com/x"},
			map[string]any{"name": "API_MIN_TLS_VERSION", "value": "1.0-" + fuzzSecret},
		}}})
	apiDefs, _ := json.Marshal([]any{map[string]any{"name": "api", "image": "pulumi/service:1"}})
	return []plant{
		{"aws:ec2/vpc:Vpc", "p-vpc", map[string]any{"cidrBlock": "10.9.0.0/16"}, nil},
		{"aws:ec2/securityGroup:SecurityGroup", "p-lb-sg", map[string]any{"vpcId": "p-vpc-id", "ingress": []any{
			map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443,
				"cidrBlocks": []any{sec + "198.51.100.77/32"}, "ipv6CidrBlocks": []any{sec + "2001:db8:77::/48"}}}},
			[]string{"load-balancer-ingress-allowlist"}},
		{"aws:lb/loadBalancer:LoadBalancer", "p-lb", map[string]any{"internal": false, "securityGroups": ids("p-lb-sg")}, nil},
		{"aws:ec2/securityGroup:SecurityGroup", "p-app-sg", map[string]any{"vpcId": "p-vpc-id", "ingress": []any{
			map[string]any{"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "cidrBlocks": []any{sec + "198.51.100.78/32"}}}},
			[]string{"app-security-group-restricted"}},
		{"aws:ecs/service:Service", "p-svc", map[string]any{"taskDefinition": "p-td-api-id",
			"networkConfiguration": map[string]any{"securityGroups": ids("p-app-sg"),
				"subnets": []any{sec + "subnet-" + fuzzSecret}, "assignPublicIp": false},
			"loadBalancers": []any{map[string]any{"containerName": "api", "targetGroupArn": "p-tg-id"}}},
			[]string{"app-in-private-subnets"}},
		{"aws:ecs/taskDefinition:TaskDefinition", "p-td-api", map[string]any{"containerDefinitions": string(apiDefs)}, nil},
		{"aws:lb/targetGroup:TargetGroup", "p-tg", map[string]any{"protocol": sec + "HTTP-" + fuzzSecret}, []string{"load-balancer-tls"}},
		{"aws:lb/listener:Listener", "p-https", map[string]any{"protocol": "HTTPS",
			"sslPolicy": sec + "ELBSecurityPolicy-2016-08-" + fuzzSecret}, []string{"load-balancer-tls"}},
		{"aws:lb/listener:Listener", "p-http", map[string]any{"protocol": "HTTP",
			"defaultActions": []any{map[string]any{"type": sec + "forward-" + fuzzSecret}}}, []string{"load-balancer-tls"}},
		{"aws:rds/instance:Instance", "p-db", map[string]any{"engine": sec + "aurora-postgresql",
			"storageEncrypted": true, "password": sec + "pw-" + fuzzSecret,
			"vpcSecurityGroupIds": []any{sec + "sg-" + fuzzSecret}, "dbSubnetGroupName": sec + "dbsubnets-" + fuzzSecret},
			[]string{"database-security-group-restricted", "database-in-private-subnets", "database-requires-tls"}},
		{"aws:rds/cluster:Cluster", "p-cluster", map[string]any{"engine": "aurora-mysql", "storageEncrypted": true,
			"masterPassword": sec + "master-" + fuzzSecret, "dbClusterParameterGroupName": "p-pg-id",
			"dbSubnetGroupName": "p-subnets-id"}, nil},
		{"aws:rds/subnetGroup:SubnetGroup", "p-subnets", map[string]any{"subnetIds": []any{"p-subnet-id"}}, nil},
		{"aws:rds/clusterParameterGroup:ClusterParameterGroup", "p-pg", map[string]any{"parameters": []any{
			map[string]any{"name": "require_secure_transport", "value": sec + "OFF-" + fuzzSecret}}}, []string{"database-requires-tls"}},
		{"aws:ecs/taskDefinition:TaskDefinition", "p-td", map[string]any{"containerDefinitions": sec + string(secretDefs)},
			[]string{"container-secrets-not-in-environment", "api-tls"}},
		{"aws:ec2/instance:Instance", "p-vm", map[string]any{"subnetId": sec + "subnet-0" + fuzzSecret}, []string{"app-in-private-subnets"}},
		{"aws:ec2/subnet:Subnet", "p-subnet", map[string]any{"vpcId": "p-vpc-id", "cidrBlock": "10.9.0.0/24"}, nil},
		{"aws:ec2/routeTable:RouteTable", "p-rt", map[string]any{"vpcId": "p-vpc-id", "routes": []any{
			map[string]any{"cidrBlock": "0.0.0.0/0", "gatewayId": sec + "igw-" + fuzzSecret}}}, nil},
		{"aws:ec2/routeTableAssociation:RouteTableAssociation", "p-rta", map[string]any{"subnetId": "p-subnet-id",
			"routeTableId": "p-rt-id"}, nil},
		{"aws:ec2/instance:Instance", "p-vm2", map[string]any{"subnetId": "p-subnet-id"}, []string{"app-in-private-subnets"}},
		{"aws:s3/bucketV2:BucketV2", "p-bucket", map[string]any{"tags": map[string]any{
			"selfhosted-hardening:exempt": sec + "s3-bucket-encrypted: " + fuzzSecret + " holds no data"}}, []string{"s3-bucket-encrypted"}},
		{"aws:s3/bucketV2:BucketV2", "p-bucket2", map[string]any{}, nil},
		{"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "p-sse",
			map[string]any{"bucket": "p-bucket2-id", "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{
				"sseAlgorithm": sec + "AES-" + fuzzSecret}}}}, []string{"s3-bucket-encrypted"}},
		{"aws:ssm/parameter:Parameter", "p-param", map[string]any{"type": "String",
			"name": sec + "/app/" + fuzzSecret + "/password", "value": sec + "v-" + fuzzSecret}, []string{"secret-inputs-marked-secret"}},
		{"aws:opensearch/domain:Domain", "p-search", map[string]any{"encryptAtRest": map[string]any{"enabled": true},
			"nodeToNodeEncryption": map[string]any{"enabled": true}, "domainEndpointOptions": map[string]any{
				"enforceHttps": true, "tlsSecurityPolicy": sec + "Policy-Min-TLS-1-0-" + fuzzSecret},
			"vpcOptions": map[string]any{"subnetIds": []any{sec + "subnet-search-" + fuzzSecret}}},
			[]string{"opensearch-domain-encrypted"}},
	}
}

// plantedWire puts the planted resources on the wire, each with its id.
func plantedWire() []*pulumirpc.AnalyzerResource {
	var out []*pulumirpc.AnalyzerResource
	for _, p := range planted() {
		m := map[string]any{"id": p.name + "-id"}
		for k, v := range p.props {
			m[k] = v
		}
		out = append(out, &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + p.typ + "::" + p.name, Type: p.typ,
			Name: p.name, Properties: toWire(m)})
	}
	return out
}

// TestPlantedSecretsAreQuoted checks that the planted secrets sit where
// messages quote values: each plant gets a finding of the policy named, and
// the finding shows [secret] where the value would be.
func TestPlantedSecretsAreQuoted(t *testing.T) {
	rs := plantedWire()
	for _, dry := range []bool{true, false} {
		diags := judge(t, session(t, dry), rs...)
		for _, p := range planted() {
			urn := "urn:pulumi:dev::p::" + p.typ + "::" + p.name
			for _, pol := range p.quotedBy {
				var got []string
				ok := false
				for _, d := range diags {
					if d.GetUrn() == urn {
						got = append(got, d.GetPolicyName()+": "+d.GetMessage())
						ok = ok || d.GetPolicyName() == pol && strings.Contains(d.GetMessage(), "[secret]")
					}
				}
				if !ok {
					t.Errorf("dryRun %v: %s has no finding of %s that quotes its secret; it has:\n  %s", dry, p.name,
						pol, strings.Join(got, "\n  "))
				}
			}
		}
	}
}

// plainStrings returns every string of v outside its secrets.
func plainStrings(v props.Value) []string {
	if v.IsSecret() {
		return nil
	}
	switch v.Kind() {
	case props.String:
		s, _ := v.Str()
		return []string{s}
	case props.Array:
		var out []string
		items, _ := v.Array()
		for _, it := range items {
			out = append(out, plainStrings(it)...)
		}
		return out
	case props.Object:
		var out []string
		for _, k := range v.Keys() {
			out = append(out, plainStrings(v.Field(k))...)
		}
		return out
	}
	return nil
}

// FuzzAnalyze feeds arbitrary property maps, as JSON with unknown and
// secret markers, to every policy: typ picks the resource type, and a second
// resource of the next type refers to the first. The planted resources
// (secrets where messages quote values) are analysed beside them, so a
// fuzzed resource that joins them (a rule of their group, a route of their
// table) exercises their rendering too; any secret of the input, fuzzed
// ("<secret>...") or planted, must stay out of every message.
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
		// Secrets where messages quote values.
		`{"type": "ingress", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["<secret>198.51.100.9/32"], "securityGroupId": "p-app-sg-id"}`,
		`{"protocol": "HTTPS", "sslPolicy": "<secret>ELBSecurityPolicy-TLS-1-0-2015-04-x"}`,
		`{"engine": "<secret>aurora-mysql", "dbClusterParameterGroupName": "p-pg-id", "storageEncrypted": true, "dbSubnetGroupName": "<secret>group-secret-name"}`,
		`{"parameters": [{"name": "<secret>require_secure_transport", "value": "<secret>0-secret-value"}]}`,
		`{"containerDefinitions": "<secret>[{\"name\":\"api\",\"image\":\"pulumi/service\",\"environment\":[{\"name\":\"MY_TOKEN\",\"value\":\"https://u:p4ss-secret@h\"}]}]"}`,
		`{"subnetId": "<secret>subnet-secret-id", "vpcSecurityGroupIds": ["<secret>sg-secret-id"]}`,
		`{"routeTableId": "p-rt-id", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "<secret>igw-secret-id"}`,
		`{"tags": {"selfhosted-hardening:exempt": "<secret>rds-storage-encrypted: secret reason"}, "storageEncrypted": false}`,
		`{"bucket": "p-bucket2-id", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "<secret>bad-algorithm"}}]}`,
	} {
		f.Add(uint8(i*5), seed)
	}
	// store (issues 19 and 20): Azure Storage and Cloud Storage shapes, each
	// on its own type (the second resource, of the next type, names the
	// first as its bucket).
	for _, ts := range [][2]string{
		{"azure-native:storage:StorageAccount", `{"allowBlobPublicAccess": "<secret>yes", "minimumTlsVersion": 1.2, ` +
			`"encryption": {"keySource": "<unknown>", "keyVaultProperties": []}, "networkRuleSet": "Deny"}`},
		{"azure-native:storage:BlobContainer", `{"accountName": "<unknown>", "publicAccess": "<secret>Container"}`},
		{"gcp:storage/bucket:Bucket", `{"name": "a-id", "publicAccessPrevention": ["enforced"], ` +
			`"encryption": {"defaultKmsKeyName": "<secret>projects/p/keys/k"}, "uniformBucketLevelAccess": "<unknown>"}`},
		{"gcp:storage/bucketIAMBinding:BucketIAMBinding", `{"bucket": "<unknown>", "members": ["allUsers", null, 3, "<unknown>"]}`},
		{"gcp:storage/bucketACL:BucketACL", `{"bucket": "a-id", "predefinedAcl": "<secret>publicRead", "roleEntities": ["READER:<secret>allUsers", {}]}`},
		{"gcp:storage/bucketIAMMember:BucketIAMMember", `{"bucket": "a-id", "member": "<secret>allUsers", "role": 5}`},
	} {
		for i, t := range types {
			if t == ts[0] {
				f.Add(uint8(i), ts[1])
			}
		}
	}
	// db (issues 19 and 20): Azure Database for MySQL and Cloud SQL shapes,
	// by type token (their index in types depends on the adapters' order).
	for _, seed := range []struct{ typ, doc string }{
		{"azure-native:dbformysql:Server", `{"serverName": "a", "network": {"delegatedSubnetResourceId": "<unknown>", "publicNetworkAccess": 3}, "dataEncryption": {"type": "<secret>AzureKeyVault", "primaryKeyURI": null}, "administratorLoginPassword": "pw"}`},
		{"azure-native:dbformysql:Server", `{"network": "Enabled", "dataEncryption": [], "administratorLoginPassword": {"a": "<secret>pw"}}`},
		{"azure-native:dbformysql:Configuration", `{"serverName": "<unknown>", "configurationName": "<secret>require_secure_transport", "value": "<secret>OFF-secret-value"}`},
		{"azure-native:dbformysql:Configuration", `{"serverName": "a", "name": "tls_version", "value": ",TLSv1,,<secret>", "source": 5}`},
		{"azure-native:dbformysql:FirewallRule", `{"serverName": "a", "startIpAddress": "0.0.0.0", "endIpAddress": "<secret>255.255.255.255"}`},
		{"azure-native:dbformysql:FirewallRule", `{"serverName": ["a"], "startIpAddress": "::", "endIpAddress": "1.2.3"}`},
		{"gcp:sql/databaseInstance:DatabaseInstance", `{"settings": {"ipConfiguration": {"ipv4Enabled": "<unknown>", "sslMode": "<secret>ALLOW_UNENCRYPTED_AND_ENCRYPTED", "authorizedNetworks": [{"value": "<secret>0.0.0.0/0"}, null, 7, {"value": "::/0"}]}}, "encryptionKeyName": ""}`},
		{"gcp:sql/databaseInstance:DatabaseInstance", `{"settings": [{"ipConfiguration": {"requireSsl": "yes"}}], "rootPassword": "pw"}`},
		{"gcp:sql/user:User", `{"instance": "a", "password": {"nested": "<secret>x"}}`},
	} {
		if i := slices.Index(types, seed.typ); i >= 0 && i < 256 {
			f.Add(uint8(i), seed.doc)
		}
	}
	for _, s := range clusterFuzzSeeds() {
		f.Add(s.typ, s.doc)
	}
	// edge (issues 19, 20, 21): Helm releases and charts of ingress-nginx,
	// and Services with the Azure and GKE annotations, on their own types.
	for _, s := range []struct{ typ, doc string }{
		{"kubernetes:helm.sh/v3:Release", `{"chart": "ingress-nginx", "version": "4.6.1", "values": {"controller": {"service": {"loadBalancerSourceRanges": ["<secret>198.51.100.7/32", 3, null], "annotations": {"service.beta.kubernetes.io/azure-load-balancer-internal": "<unknown>"}}}}}`},
		{"kubernetes:helm.sh/v3:Release", `{"chart": "ingress-nginx", "version": "<secret>4.2.5", "values": "controller: {}", "valueYamlFiles": [{"path": "v.yaml"}]}`},
		{"kubernetes:helm.sh/v3:Release", `{"chart": "ingress-nginx", "values": {"controller": {"service": [1], "config": {"whitelist-source-range": ["x"]}}}}`},
		{"kubernetes:helm.sh/v3:Release", `{"chart": "ingress-nginx", "version": "^4", "values": {"controller": {"service": {"type": "NodePort", "enabled": "yes"}, "config": {"whitelist-source-range": "<secret>203.0.113.0/24,bad"}}}}`},
		{"kubernetes:helm.sh/v3:Chart", `{"chart": "oci://r.example.com/ingress-nginx", "version": "", "values": null}`},
		{"kubernetes:helm.sh/v4:Chart", `{"chart": "ingress-nginx-4.7.1.tgz", "version": {"a": 1}, "values": {"controller": null}}`},
		{"kubernetes:core/v1:Service", `{"metadata": {"labels": {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}, "annotations": {"networking.gke.io/load-balancer-type": "<secret>Internal", "cloud.google.com/load-balancer-type": 7}}, "spec": {"type": "NodePort"}}`},
		{"kubernetes:apps/v1:Deployment", `{"metadata": {"labels": {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}}, "spec": {"template": {"spec": {"containers": [{"image": "registry.k8s.io/ingress-nginx/controller:v1.8.1@sha256:00"}, {"image": "<unknown>"}, {"image": "<secret>k8s.gcr.io/ingress-nginx/controller:v0.1.0"}, 5]}}}}`},
	} {
		if i := slices.Index(types, s.typ); i >= 0 && i < 256 {
			f.Add(uint8(i), s.doc)
		}
	}
	plants := plantedWire()
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
			judge(t, session(t, dry), append([]*pulumirpc.AnalyzerResource{a, b}, plants...)...)
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

// FuzzSecurityGroupRule feeds arbitrary CIDRs (two per rule), ports and
// protocols to the security group policies, in all three rule forms,
// attached to a database, an app service and an internet-facing load
// balancer, and checks the verdict of security-group-no-unrestricted-ingress
// against an oracle (ruleOracle): a rule whose CIDRs together admit all of
// IPv4 or of IPv6, on all ports or a sensitive one, is a mandatory
// violation on each form; a rule of valid private CIDRs is none.
func FuzzSecurityGroupRule(f *testing.F) {
	f.Add("0.0.0.0/0", "", "tcp", 22.0, 22.0, "203.0.113.0/24")
	f.Add("::/0", "10.0.0.0/8", "-1", 0.0, 0.0, "0.0.0.0/0")
	f.Add("10.0.0.300/8", "", "TCP", 443.0, 80.0, "x")
	f.Add("1.2.3.4", "", "udp", -1.0, 70000.0, "")
	f.Add("2001:db8::/129", "::/0", "6", 1e300, -1e300, "::/0")
	// Together all of IPv4 or IPv6, with no /0 written out.
	f.Add("0.0.0.0/1", "128.0.0.0/1", "tcp", 22.0, 22.0, "")
	f.Add("::/1", "8000::/1", "-1", 0.0, 0.0, "")
	f.Add("128.0.0.0/1", "0.0.0.1/1", "17", 0.0, 65535.0, "")
	f.Add("0.0.0.0/1", "128.0.0.0/2", "tcp", 3300.0, 3400.0, "")
	// Private.
	f.Add("10.0.0.0/8", "192.168.0.0/16", "tcp", 0.0, 65535.0, "")
	f.Add("fc00::/7", "172.16.0.0/12", "TCP", 5432.0, 5432.0, "")
	f.Fuzz(func(t *testing.T, cidr, cidr2, proto string, from, to float64, allow string) {
		rule := map[string]any{"protocol": proto, "fromPort": from, "toPort": to, "cidrBlocks": []any{cidr, cidr2},
			"ipv6CidrBlocks": []any{"<secret>" + cidr}}
		mk := func(typ, name string, m map[string]any) *pulumirpc.AnalyzerResource {
			return &pulumirpc.AnalyzerResource{Urn: "urn:pulumi:dev::p::" + typ + "::" + name, Type: typ, Name: name,
				Properties: toWire(m)}
		}
		rs := []*pulumirpc.AnalyzerResource{
			mk("aws:ec2/securityGroup:SecurityGroup", "sg", map[string]any{"ingress": []any{rule}, "egress": []any{rule}}),
			mk("aws:ec2/securityGroupRule:SecurityGroupRule", "r1", map[string]any{"type": "ingress", "protocol": proto,
				"fromPort": from, "toPort": to, "cidrBlocks": []any{cidr, cidr2}, "securityGroupId": "sg-id"}),
			mk("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "r2", map[string]any{"ipProtocol": proto,
				"fromPort": from, "toPort": to, "cidrIpv4": cidr, "cidrIpv6": cidr2, "securityGroupId": "sg-id"}),
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
		diags := judge(t, s, rs...)

		want, sure := ruleOracle([]string{cidr, cidr2}, proto, from, to)
		if !sure {
			return
		}
		for _, name := range []string{"sg", "r1", "r2"} {
			urn := rs[0].Urn
			for _, r := range rs {
				if r.Name == name {
					urn = r.Urn
				}
			}
			var got []string
			for _, d := range diags {
				if d.GetUrn() == urn && d.GetPolicyName() == policies.SecurityGroupNoUnrestrictedIngress.Name &&
					d.GetEnforcementLevel() == pulumirpc.EnforcementLevel_MANDATORY {
					got = append(got, d.GetMessage())
				}
			}
			where := fmt.Sprintf("%s: ingress %s %v-%v from %q and %q", name, proto, from, to, cidr, cidr2)
			switch {
			case want && len(got) == 0:
				t.Errorf("%s admits the whole internet to a sensitive port or all ports, and %s gives no mandatory "+
					"violation", where, policies.SecurityGroupNoUnrestrictedIngress.Name)
			case !want && len(got) > 0:
				t.Errorf("%s admits only private ranges, and %s gives a mandatory violation:\n  %s", where,
					policies.SecurityGroupNoUnrestrictedIngress.Name, strings.Join(got, "\n  "))
			}
		}
	})
}

// sensitivePorts are security-group-no-unrestricted-ingress's defaults.
var sensitivePorts = []float64{22, 3389, 3306, 5432, 6379, 9200, 9300, 27017}

// ruleOracle says, for an ingress rule of protocol proto and ports from-to
// admitting the CIDRs, whether security-group-no-unrestricted-ingress must
// give a mandatory violation (want), and whether the rule is clear enough to
// say (sure): every CIDR given ("" is none) valid, the protocol tcp, udp or
// all (-1, 6, 17, any case), ports whole numbers with from <= to. It wants
// one when the CIDRs together cover all of IPv4 or all of IPv6 and the rule
// opens all traffic, all ports, or a sensitive port; it wants none, and is
// sure, when every CIDR is private (10/8, 172.16/12, 192.168/16, fc00::/7).
func ruleOracle(cidrs []string, proto string, from, to float64) (want, sure bool) {
	var ps []netip.Prefix
	for _, c := range cidrs {
		if c == "" {
			continue
		}
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return false, false
		}
		ps = append(ps, p.Masked())
	}
	if len(ps) == 0 {
		return false, false
	}
	private := true
	for _, p := range ps {
		private = private && slices.ContainsFunc(privateRanges, func(r netip.Prefix) bool {
			return r.Bits() <= p.Bits() && r.Contains(p.Addr())
		})
	}
	if private {
		return false, true
	}
	all := false
	switch strings.ToLower(proto) {
	case "-1":
		all = true
	case "tcp", "udp", "6", "17":
		whole := func(x float64) bool { return !math.IsNaN(x) && x == math.Trunc(x) && x >= -1 && x <= 65535 }
		if !whole(from) || !whole(to) || from > to {
			return false, false
		}
		all = from <= 0 && to >= 65535
		all = all || slices.ContainsFunc(sensitivePorts, func(p float64) bool { return from <= p && p <= to })
	default:
		return false, false
	}
	if !all {
		return false, false
	}
	return coversFamily(ps, netip.MustParsePrefix("0.0.0.0/0")) || coversFamily(ps, netip.MustParsePrefix("::/0")), true
}

var privateRanges = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fc00::/7")}

// coversFamily reports whether the union of ps covers within (a prefix of
// one family), by halving within until each half lies inside one of ps or
// outside all of them: independent of awsnet's interval merge.
func coversFamily(ps []netip.Prefix, within netip.Prefix) bool {
	overlaps := false
	for _, p := range ps {
		if p.Addr().Is4() != within.Addr().Is4() {
			continue
		}
		if p.Bits() <= within.Bits() && p.Contains(within.Addr()) {
			return true // p holds all of within
		}
		overlaps = overlaps || within.Contains(p.Addr())
	}
	if !overlaps || within.Bits() == within.Addr().BitLen() {
		return false
	}
	lo := netip.PrefixFrom(within.Addr(), within.Bits()+1)
	b := within.Addr().AsSlice()
	b[within.Bits()/8] |= 0x80 >> (within.Bits() % 8)
	hiAddr, _ := netip.AddrFromSlice(b)
	hi := netip.PrefixFrom(hiAddr, within.Bits()+1)
	return coversFamily(ps, lo) && coversFamily(ps, hi)
}

func TestRuleOracle(t *testing.T) {
	for _, c := range []struct {
		cidrs      []string
		proto      string
		from, to   float64
		want, sure bool
	}{
		{[]string{"0.0.0.0/0"}, "tcp", 22, 22, true, true},
		{[]string{"0.0.0.0/1", "128.0.0.0/1"}, "TCP", 22, 22, true, true},
		{[]string{"0.0.0.0/1", "128.0.0.0/2"}, "tcp", 22, 22, false, true},
		{[]string{"::/1", "8000::/1"}, "-1", 0, 0, true, true},
		{[]string{"::/1", "128.0.0.0/1"}, "-1", 0, 0, false, true},
		{[]string{"0.0.0.0/0"}, "tcp", 443, 443, false, false},
		{[]string{"0.0.0.0/0"}, "icmp", 22, 22, false, false},
		{[]string{"0.0.0.0/0"}, "17", 0, 65535, true, true},
		{[]string{"10.0.0.0/8", "fc00::/7"}, "tcp", 22, 22, false, true},
		{[]string{"10.0.0.0/8", "x"}, "tcp", 22, 22, false, false},
		{[]string{"0.0.0.0/0"}, "tcp", 22.5, 23, false, false},
	} {
		want, sure := ruleOracle(c.cidrs, c.proto, c.from, c.to)
		if want != c.want || sure != c.sure {
			t.Errorf("%v %s %v-%v: got %v, %v, want %v, %v", c.cidrs, c.proto, c.from, c.to, want, sure, c.want, c.sure)
		}
	}
}

func TestFuzzSeedsRun(t *testing.T) {
	// The seeds above also run as plain tests (go test runs f.Add seeds);
	// this checks the type list covers every type the pack names (init adds
	// them; the check keeps a change to that honest).
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
