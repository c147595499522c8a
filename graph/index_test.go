package graph_test

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// indexFixture is one analysis with keys in every place New indexes, keys in
// places it must not index, duplicates and empty strings. Order matters: the
// resources that must not win a lookup come first.
func indexFixture() []*graph.Resource {
	unk := props.NewUnknown()
	return []*graph.Resource{
		// A versioning resource whose bucket input names b1: a reference,
		// not its own name. Its id is its own.
		res(tVersioning, "vers1",
			map[string]any{"bucket": "b1"},
			map[string]any{"id": "vers-1", "bucket": "b1"}, nil),
		// As the provider reports it: a versioning resource's id is the
		// bucket's name, so only the type filter keeps it from being taken
		// for bucket b2.
		res(tVersioning, "vers2",
			map[string]any{"bucket": "b2"},
			map[string]any{"id": "b2", "bucket": "b2"}, nil),
		res(tBucket, "b1",
			map[string]any{"bucket": "b1"},
			map[string]any{"id": "b1", "arn": "arn:aws:s3:::b1", "bucket": "b1"}, nil),
		res(tBucketV2, "b2",
			map[string]any{},
			map[string]any{"id": "b2", "arn": "arn:aws:s3:::b2", "bucket": "b2"}, nil),
		// Preview: the outputs are unknown, the bucket name is only an input.
		res(tBucket, "b3",
			map[string]any{"bucket": "b3-name"},
			map[string]any{"id": unk, "arn": unk, "bucket": unk}, nil),
		res(tSubnet, "subA",
			map[string]any{"vpcId": "vpc-1", "cidrBlock": "10.0.1.0/24"},
			map[string]any{"id": "subnet-a-id", "arn": "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-a-id",
				"vpcId": "vpc-1"}, nil),
		// A cluster instance names its cluster by clusterIdentifier: a
		// reference, listed before the cluster.
		res(tClusterInstance, "ci1",
			map[string]any{"identifier": "db-main-1", "clusterIdentifier": "db-main"},
			map[string]any{"id": unk, "identifier": unk, "clusterIdentifier": "db-main"}, nil),
		res(tCluster, "cluster",
			map[string]any{"clusterIdentifier": "db-main", "engine": "aurora-postgresql"},
			map[string]any{"id": unk, "arn": unk, "clusterIdentifier": unk}, nil),
		res(tDBInstance, "inst",
			map[string]any{"identifier": "db-solo", "dbSubnetGroupName": "db-subnets"},
			map[string]any{"id": unk}, nil),
		res(tDomain, "domain",
			map[string]any{"domainName": "search"},
			map[string]any{"id": unk}, nil),
		// Known by its input name only (preview).
		res(tDBSubnetGroup, "sgrp",
			map[string]any{"name": "db-subnets", "subnetIds": []any{"subnet-a-id"}},
			map[string]any{"id": unk, "arn": unk, "name": unk}, nil),
		// Three resources share the name "shared".
		res(tSecurityGroup, "sgShared",
			map[string]any{"name": "shared"},
			map[string]any{"id": "sg-shared-id", "name": "shared"}, nil),
		res(tSubnet, "subShared1",
			map[string]any{"name": "shared"},
			map[string]any{"id": "subnet-s1"}, nil),
		res(tSubnet, "subShared2",
			map[string]any{"name": "shared"},
			map[string]any{"id": "subnet-s2"}, nil),
		// Empty strings in every indexed place.
		res(tSecurityGroup, "empty",
			map[string]any{"name": "", "id": "", "arn": ""},
			map[string]any{"id": "", "arn": "", "name": ""}, nil),
		// A secret id is still an id.
		res(tSecurityGroup, "secretId",
			map[string]any{},
			map[string]any{"id": props.Secret(props.NewString("sg-secret-id"))}, nil),
		// Differing keys in outputs and inputs: both count.
		res(tSecurityGroup, "twoNames",
			map[string]any{"name": "in-name"},
			map[string]any{"id": "sg-two", "name": "out-name"}, nil),
	}
}

func TestLookup(t *testing.T) {
	g := named(graph.New(indexFixture()))
	cases := []struct {
		name  string
		key   string
		types []string
		want  string // logical name, "" for nil
	}{
		{"output id", "subnet-a-id", []string{tSubnet}, "subA"},
		{"output id, no type filter", "subnet-a-id", nil, "subA"},
		{"output arn", "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-a-id", []string{tSubnet}, "subA"},
		{"bucket arn", "arn:aws:s3:::b1", []string{tBucket, tBucketV2}, "b1"},
		{"urn", urn(tSubnet, "subA"), []string{tSubnet}, "subA"},
		{"urn, no type filter", urn(tCluster, "cluster"), nil, "cluster"},
		{"urn of the wrong type", urn(tSubnet, "subA"), []string{tSecurityGroup}, ""},
		{"input name (outputs unknown)", "db-subnets", []string{tDBSubnetGroup}, "sgrp"},
		{"input name is a reference on an instance, not its name", "db-subnets", []string{tDBInstance}, ""},
		{"input name, no type filter", "db-subnets", nil, "sgrp"},
		{"S3 bucket own name from outputs", "b1", []string{tBucket}, "b1"},
		{"S3 bucket own name from inputs (outputs unknown)", "b3-name", []string{tBucket}, "b3"},
		{"BucketV2 own name", "b2", []string{tBucketV2}, "b2"},
		{"bucket reference of a versioning resource is not its name", "b1", []string{tVersioning}, ""},
		{"bucket reference of a versioning resource is no key at all", "b1", nil, "b1"},
		{"type filter skips a versioning resource whose id is the bucket name", "b2", []string{tBucket, tBucketV2}, "b2"},
		{"without a type filter the first in request order wins", "b2", nil, "vers2"},
		{"versioning resource by its own id", "vers-1", []string{tVersioning}, "vers1"},
		{"RDS cluster by clusterIdentifier input", "db-main", []string{tCluster}, "cluster"},
		{"clusterIdentifier of a cluster instance is a reference", "db-main", []string{tClusterInstance}, ""},
		{"clusterIdentifier, no type filter, skips the instance listed first", "db-main", nil, "cluster"},
		{"cluster instance by its identifier", "db-main-1", []string{tClusterInstance}, "ci1"},
		{"DB instance by identifier", "db-solo", []string{tDBInstance}, "inst"},
		{"OpenSearch domain by domainName", "search", []string{tDomain}, "domain"},
		{"first in request order, no filter", "shared", nil, "sgShared"},
		{"first in request order within the type", "shared", []string{tSubnet}, "subShared1"},
		{"first in request order among several types", "shared", []string{tSubnet, tSecurityGroup}, "sgShared"},
		{"type filter with no match", "shared", []string{tBucket}, ""},
		{"empty string is never a key", "", nil, ""},
		{"empty string is never a key, typed", "", []string{tSecurityGroup}, ""},
		{"secret id", "sg-secret-id", []string{tSecurityGroup}, "secretId"},
		{"name from outputs", "out-name", nil, "twoNames"},
		{"name from inputs", "in-name", nil, "twoNames"},
		{"vpc id is not a key of a subnet", "vpc-1", nil, ""},
		{"cidr block is not a key", "10.0.1.0/24", nil, ""},
		{"unknown key", "subnet-zzz", nil, ""},
		{"logical name is not a key", "subA", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := g.Lookup(c.key, c.types...)
			if nameOf(got) != nameOf(byNameOrNil(g, c.want)) {
				t.Errorf("Lookup(%q, %v) = %s, want %s", c.key, c.types, nameOf(got), orNil(c.want))
			}
			if c.want != "" && got != nil && got != byNameOrNil(g, c.want) {
				t.Errorf("Lookup(%q, %v) returned a different *Resource than the one indexed", c.key, c.types)
			}
		})
	}
}

func byNameOrNil(g *graph.Graph, name string) *graph.Resource {
	if name == "" {
		return nil
	}
	for _, r := range g.Resources() {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func orNil(s string) string {
	if s == "" {
		return "<nil>"
	}
	return s
}

// A null or absent Outputs/Props (a zero Value) must not break indexing.
func TestNewZeroValues(t *testing.T) {
	rs := []*graph.Resource{
		{URN: urn(tSubnet, "bare"), Type: tSubnet, Name: "bare"},
		res(tSubnet, "onlyOut", nil, map[string]any{"id": "subnet-out"}, nil),
		res(tSubnet, "onlyIn", map[string]any{"name": "in-only"}, nil, nil),
		// Properties that are not objects at all.
		{URN: urn(tSubnet, "weird"), Type: tSubnet, Name: "weird",
			Props: props.NewString("id"), Outputs: props.NewUnknown()},
	}
	g := named(graph.New(rs))
	cases := []struct {
		key, want string
	}{
		{urn(tSubnet, "bare"), "bare"},
		{"subnet-out", "onlyOut"},
		{"in-only", "onlyIn"},
		{"id", ""},
		{urn(tSubnet, "weird"), "weird"},
	}
	for _, c := range cases {
		if got := g.Lookup(c.key, tSubnet); nameOf(got) != orNil(c.want) {
			t.Errorf("Lookup(%q) = %s, want %s", c.key, nameOf(got), orNil(c.want))
		}
	}
}

func TestNewEmpty(t *testing.T) {
	for _, rs := range [][]*graph.Resource{nil, {}} {
		g := named(graph.New(rs))
		if n := len(g.Resources()); n != 0 {
			t.Errorf("Resources() has %d items", n)
		}
		if got := g.OfType(tSubnet); len(got) != 0 {
			t.Errorf("OfType = %v", names(got))
		}
		if got := g.OfType(tSubnet, tBucket); len(got) != 0 {
			t.Errorf("OfType(2 types) = %v", names(got))
		}
		if got := g.OfType(); len(got) != 0 {
			t.Errorf("OfType() = %v", names(got))
		}
		if got := g.Lookup("x"); got != nil {
			t.Errorf("Lookup = %s", got.Name)
		}
		if got := g.ByURN(""); got != nil {
			t.Errorf("ByURN(\"\") = %s", got.Name)
		}
	}
}

func TestOfType(t *testing.T) {
	g := named(graph.New(indexFixture()))
	cases := []struct {
		name  string
		types []string
		want  []string
	}{
		{"one type, request order", []string{tSubnet}, []string{"subA", "subShared1", "subShared2"}},
		{"one type with one resource", []string{tCluster}, []string{"cluster"}},
		{"one type not present", []string{"aws:kms/key:Key"}, nil},
		{"two types, in argument order, each in request order",
			[]string{tBucketV2, tBucket}, []string{"b2", "b1", "b3"}},
		{"two types, other argument order",
			[]string{tBucket, tBucketV2}, []string{"b1", "b3", "b2"}},
		{"three types with a missing one",
			[]string{tSecurityGroup, "aws:kms/key:Key", tVersioning},
			[]string{"sgShared", "empty", "secretId", "twoNames", "vers1", "vers2"}},
		{"no types", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := names(g.OfType(c.types...)); !slices.Equal(got, c.want) {
				t.Errorf("OfType(%v) = %v, want %v", c.types, got, c.want)
			}
		})
	}
}

func TestByURNAndResources(t *testing.T) {
	rs := indexFixture()
	g := named(graph.New(rs))
	for _, r := range rs {
		if got := g.ByURN(r.URN); got != r {
			t.Errorf("ByURN(%q) = %s, want %s", r.URN, nameOf(got), r.Name)
		}
	}
	for _, miss := range []string{"", "subnet-a-id", "b1", urn(tSubnet, "nope"), urn(tBucket, "b1") + "x"} {
		if got := g.ByURN(miss); got != nil {
			t.Errorf("ByURN(%q) = %s, want nil", miss, got.Name)
		}
	}
	all := g.Resources()
	if len(all) != len(rs) {
		t.Fatalf("Resources() has %d items, want %d", len(all), len(rs))
	}
	for i := range rs {
		if all[i] != rs[i] {
			t.Errorf("Resources()[%d] = %s, want %s", i, all[i].Name, rs[i].Name)
		}
	}
}

func TestResourceGetAndLabel(t *testing.T) {
	r := res(tDBSubnetGroup, "grp", map[string]any{
		"subnetIds": []any{"a", props.NewUnknown()},
		"tags":      map[string]any{"selfhosted-hardening:exempt": "x"},
	}, nil, nil)
	cases := []struct {
		path string
		want props.Value
	}{
		{"subnetIds[0]", props.NewString("a")},
		{"subnetIds[1]", props.NewUnknown()},
		{"subnetIds[2]", props.NewNull()},
		{`tags["selfhosted-hardening:exempt"]`, props.NewString("x")},
		{"missing.deeper", props.NewNull()},
	}
	for _, c := range cases {
		got := r.Get(props.MustPath(c.path))
		if got.Kind() != c.want.Kind() || got.Describe() != c.want.Describe() {
			t.Errorf("Get(%s) = %s, want %s", c.path, got.Describe(), c.want.Describe())
		}
	}
	if got, want := r.Label(), `aws:rds/subnetGroup:SubnetGroup "grp"`; got != want {
		t.Errorf("Label() = %s, want %s", got, want)
	}
}

func TestResourceMemoBuildsOnce(t *testing.T) {
	r := &graph.Resource{URN: "urn:x"}
	builds := 0
	build := func() any { builds++; return builds }
	for i := 0; i < 3; i++ {
		if got := r.Memo("k", build); got != 1 {
			t.Fatalf("Memo = %v, want the first build's 1", got)
		}
	}
	if r.Memo("other", build) != 2 || builds != 2 {
		t.Errorf("another key must build again: %d builds", builds)
	}
}

// TestIndexNamesIsTheAdaptersJob checks the graph knows no provider's
// physical names until they are given, and knows them once given, however
// often.
func TestIndexNamesIsTheAdaptersJob(t *testing.T) {
	g := graph.New(indexFixture())
	if r := g.Lookup("db-solo", tDBInstance); r != nil {
		t.Errorf("an RDS identifier is a key before any adapter named it: %s", r.Name)
	}
	for range 2 {
		g.IndexNames(ownNames)
		if r := g.Lookup("db-solo", tDBInstance); r == nil || r.Name != "inst" {
			t.Errorf("after IndexNames: %v", r)
		}
	}
}
