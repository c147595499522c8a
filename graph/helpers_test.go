package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Type tokens used by the tests.
const (
	tSubnet          = "aws:ec2/subnet:Subnet"
	tSecurityGroup   = "aws:ec2/securityGroup:SecurityGroup"
	tDBSubnetGroup   = "aws:rds/subnetGroup:SubnetGroup"
	tBucket          = "aws:s3/bucket:Bucket"
	tBucketV2        = "aws:s3/bucketV2:BucketV2"
	tVersioning      = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tEncryption      = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tCluster         = "aws:rds/cluster:Cluster"
	tClusterInstance = "aws:rds/clusterInstance:ClusterInstance"
	tDBInstance      = "aws:rds/instance:Instance"
	tDomain          = "aws:opensearch/domain:Domain"
)

// urn builds the URN of a resource in stack dev of project p.
func urn(typ, name string) string {
	return "urn:pulumi:dev::p::" + typ + "::" + name
}

// res builds a resource. in and out are plain Go data for props.FromGo; a
// nil map gives a null value. deps are the property dependencies.
func res(typ, name string, in, out map[string]any, deps map[string][]string) *graph.Resource {
	r := &graph.Resource{
		URN:                  urn(typ, name),
		Type:                 typ,
		Name:                 name,
		PropertyDependencies: deps,
	}
	if in != nil {
		r.Props = props.FromGo(in)
	}
	if out != nil {
		r.Outputs = props.FromGo(out)
	}
	return r
}

// nameOf renders a possibly nil resource for a failure message.
func nameOf(r *graph.Resource) string {
	if r == nil {
		return "<nil>"
	}
	return r.Name
}

// names renders resources by logical name.
func names(rs []*graph.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = nameOf(r)
	}
	return out
}

// refString renders a Ref compactly and completely: path, value, known and
// target name ("<nil>" for none).
func refString(r graph.Ref) string {
	return fmt.Sprintf("%s %q known=%v -> %s", r.Path, r.Value, r.Known, nameOf(r.Target))
}

func refStrings(refs []graph.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = refString(r)
	}
	return out
}

// want builds the expected rendering of a Ref.
func want(path, value string, known bool, target string) string {
	if target == "" {
		target = "<nil>"
	}
	return fmt.Sprintf("%s %q known=%v -> %s", path, value, known, target)
}

// checkRefs compares refs with the expected renderings, in order.
func checkRefs(t *testing.T, got []graph.Ref, wantRefs []string) {
	t.Helper()
	gs := refStrings(got)
	if !slices.Equal(gs, wantRefs) {
		t.Errorf("refs:\n got  %s\n want %s", fmtList(gs), fmtList(wantRefs))
	}
}

func fmtList(ss []string) string {
	if len(ss) == 0 {
		return "(none)"
	}
	return "[" + strings.Join(ss, "; ") + "]"
}

// byName returns the resource of g with that logical name; the test fails
// when there is none.
func byName(t *testing.T, g *graph.Graph, name string) *graph.Resource {
	t.Helper()
	for _, r := range g.Resources() {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no resource named %q", name)
	return nil
}

// ownNames are the physical-name outputs the AWS adapter declares
// (adapters/aws PhysicalNames), for the tests that look resources up by
// them.
var ownNames = map[string][]string{
	"aws:s3/bucket:Bucket":                    {"bucket"},
	"aws:s3/bucketV2:BucketV2":                {"bucket"},
	"aws:rds/instance:Instance":               {"identifier"},
	"aws:rds/cluster:Cluster":                 {"clusterIdentifier"},
	"aws:rds/clusterInstance:ClusterInstance": {"identifier"},
	"aws:rds/globalCluster:GlobalCluster":     {"globalClusterIdentifier"},
	"aws:opensearch/domain:Domain":            {"domainName"},
}

// named indexes the physical names a graph of the tests' shapes holds.
func named(g *graph.Graph) *graph.Graph {
	g.IndexNames(ownNames)
	return g
}
