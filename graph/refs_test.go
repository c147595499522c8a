package graph_test

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

var (
	pSubnetIds = props.MustPath("subnetIds")
	pBucket    = props.MustPath("bucket")
)

// targetsFixture is the stack the referring resources of the Refs tests
// point into. subC is a subnet whose outputs lacked its id.
func targetsFixture() []*graph.Resource {
	return []*graph.Resource{
		res(tSubnet, "subA", map[string]any{"vpcId": "vpc-1"},
			map[string]any{"id": "subnet-a-id", "arn": "arn:aws:ec2:us-east-1:1:subnet/subnet-a-id"}, nil),
		res(tSubnet, "subB", map[string]any{"vpcId": "vpc-1"},
			map[string]any{"id": "subnet-b-id"}, nil),
		res(tSubnet, "subC", map[string]any{"vpcId": "vpc-1"},
			map[string]any{"vpcId": "vpc-1"}, nil),
		res(tSecurityGroup, "sg", map[string]any{"name": "web"},
			map[string]any{"id": "sg-1", "name": "web"}, nil),
		res(tBucket, "bkt", map[string]any{},
			map[string]any{"id": "b-id", "bucket": "b-id", "arn": "arn:aws:s3:::b-id"}, nil),
		res(tBucket, "bktNoId", map[string]any{},
			map[string]any{}, nil),
	}
}

var (
	uSubA    = urn(tSubnet, "subA")
	uSubB    = urn(tSubnet, "subB")
	uSubC    = urn(tSubnet, "subC")
	uSG      = urn(tSecurityGroup, "sg")
	uBkt     = urn(tBucket, "bkt")
	uBktNoID = urn(tBucket, "bktNoId")
)

type refsCase struct {
	name  string
	typ   string         // type of the referring resource; tDBSubnetGroup when ""
	in    map[string]any // its inputs
	deps  map[string][]string
	path  props.Path
	types []string
	want  []string // built with want()
}

// runRefs adds each case's referring resource to targetsFixture (last, so
// that it is never its own target) and checks Refs.
func runRefs(t *testing.T, cases []refsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			typ := c.typ
			if typ == "" {
				typ = tDBSubnetGroup
			}
			from := res(typ, "from", c.in, map[string]any{"id": "from-id"}, c.deps)
			g := named(graph.New(append(targetsFixture(), from)))
			got := g.Refs(from, c.path, c.types...)
			checkRefs(t, got, c.want)
			// Every returned target is a resource of the graph, of an asked
			// type.
			for _, r := range got {
				if r.Target == nil {
					continue
				}
				if g.ByURN(r.Target.URN) != r.Target {
					t.Errorf("target %s is not the graph's resource", r.Target.Name)
				}
				if len(c.types) > 0 && !slices.Contains(c.types, r.Target.Type) {
					t.Errorf("target %s has type %s, not one of %v", r.Target.Name, r.Target.Type, c.types)
				}
			}
		})
	}
}

// Update: every value is known.
func TestRefsKnown(t *testing.T) {
	sub := []string{tSubnet}
	bkt := []string{tBucket, tBucketV2}
	runRefs(t, []refsCase{
		{
			name: "in-stack and external subnet",
			in:   map[string]any{"subnetIds": []any{"subnet-a-id", "subnet-ext"}},
			deps: map[string][]string{"subnetIds": {uSubA}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-a-id", true, "subA"),
				want("subnetIds[1]", "subnet-ext", true, ""),
			},
		},
		{
			name: "two in-stack subnets keep item order",
			in:   map[string]any{"subnetIds": []any{"subnet-b-id", "subnet-a-id"}},
			deps: map[string][]string{"subnetIds": {uSubA, uSubB}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-b-id", true, "subB"),
				want("subnetIds[1]", "subnet-a-id", true, "subA"),
			},
		},
		{
			name: "same subnet twice gives two refs",
			in:   map[string]any{"subnetIds": []any{"subnet-a-id", "subnet-a-id"}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-a-id", true, "subA"),
				want("subnetIds[1]", "subnet-a-id", true, "subA"),
			},
		},
		{
			name: "by ARN and by URN",
			in:   map[string]any{"subnetIds": []any{"arn:aws:ec2:us-east-1:1:subnet/subnet-a-id", uSubB}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "arn:aws:ec2:us-east-1:1:subnet/subnet-a-id", true, "subA"),
				want("subnetIds[1]", uSubB, true, "subB"),
			},
		},
		{
			name: "scalar reference",
			typ:  tEncryption,
			in:   map[string]any{"bucket": "b-id"},
			deps: map[string][]string{"bucket": {uBkt}},
			path: pBucket, types: bkt,
			want: []string{want("bucket", "b-id", true, "bkt")},
		},
		{
			name: "scalar reference without dependencies",
			typ:  tEncryption,
			in:   map[string]any{"bucket": "b-id"},
			path: pBucket, types: bkt,
			want: []string{want("bucket", "b-id", true, "bkt")},
		},
		{
			name: "no type filter",
			typ:  tEncryption,
			in:   map[string]any{"bucket": "sg-1"},
			path: pBucket,
			want: []string{want("bucket", "sg-1", true, "sg")},
		},
		{
			name: "resource reference value",
			in:   map[string]any{"subnetIds": []any{props.NewResourceRef(uSubA, "subnet-a-id")}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", uSubA, true, "subA")},
		},
		{
			name: "resource reference without id",
			typ:  tEncryption,
			in:   map[string]any{"bucket": props.NewResourceRef(uBkt, "")},
			path: pBucket, types: bkt,
			want: []string{want("bucket", uBkt, true, "bkt")},
		},
		{
			name: "resource reference outside the stack found by its id",
			in:   map[string]any{"subnetIds": []any{props.NewResourceRef(urn(tSubnet, "elsewhere"), "subnet-b-id")}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", urn(tSubnet, "elsewhere"), true, "subB")},
		},
		{
			name: "resource reference outside the stack",
			in:   map[string]any{"subnetIds": []any{props.NewResourceRef(urn(tSubnet, "elsewhere"), "subnet-zzz")}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", urn(tSubnet, "elsewhere"), true, "")},
		},
		{
			name: "resource reference to the wrong type",
			in:   map[string]any{"subnetIds": []any{props.NewResourceRef(uSG, "sg-1")}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", uSG, true, "")},
		},
		{
			name: "id of a resource of the wrong type",
			in:   map[string]any{"subnetIds": []any{"sg-1"}},
			deps: map[string][]string{"subnetIds": {uSG}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", "sg-1", true, "")},
		},
		{
			name: "URN of a resource of the wrong type",
			typ:  tEncryption,
			in:   map[string]any{"bucket": uSubA},
			path: pBucket, types: bkt,
			want: []string{want("bucket", uSubA, true, "")},
		},
		{
			name: "empty string",
			typ:  tEncryption,
			in:   map[string]any{"bucket": ""},
			deps: map[string][]string{"bucket": {uBkt}},
			path: pBucket, types: bkt,
			want: nil,
		},
		{
			name: "null",
			typ:  tEncryption,
			in:   map[string]any{"bucket": nil},
			path: pBucket, types: bkt,
			want: nil,
		},
		{
			name: "absent",
			typ:  tEncryption,
			in:   map[string]any{},
			path: pBucket, types: bkt,
			want: nil,
		},
		{
			name: "empty array",
			in:   map[string]any{"subnetIds": []any{}},
			path: pSubnetIds, types: sub,
			want: nil,
		},
		{
			name: "array of empty strings and nulls",
			in:   map[string]any{"subnetIds": []any{"", nil, "subnet-b-id"}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[2]", "subnet-b-id", true, "subB")},
		},
		{
			name: "values that are no reference (number, bool, object)",
			in:   map[string]any{"subnetIds": []any{1, true, map[string]any{"id": "subnet-a-id"}}},
			path: pSubnetIds, types: sub,
			want: nil,
		},
		{
			name: "secret string",
			typ:  tEncryption,
			in:   map[string]any{"bucket": props.Secret(props.NewString("b-id"))},
			path: pBucket, types: bkt,
			want: []string{want("bucket", "b-id", true, "bkt")},
		},
		{
			name: "secret item",
			in:   map[string]any{"subnetIds": []any{"subnet-b-id", props.Secret(props.NewString("subnet-a-id"))}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-b-id", true, "subB"),
				want("subnetIds[1]", "subnet-a-id", true, "subA"),
			},
		},
		{
			name: "secret array",
			in: map[string]any{"subnetIds": props.Secret(props.NewArray(
				props.NewString("subnet-a-id"), props.NewString("subnet-b-id")))},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-a-id", true, "subA"),
				want("subnetIds[1]", "subnet-b-id", true, "subB"),
			},
		},
		{
			name: "secret object on the way",
			in: map[string]any{"vpcConfig": props.Secret(props.FromGo(map[string]any{
				"subnetIds": []any{"subnet-a-id"}}))},
			path: props.MustPath("vpcConfig.subnetIds"), types: sub,
			want: []string{want("vpcConfig.subnetIds[0]", "subnet-a-id", true, "subA")},
		},
		{
			name: "nested path",
			in:   map[string]any{"vpcConfig": map[string]any{"subnetIds": []any{"subnet-a-id", "subnet-b-id"}}},
			deps: map[string][]string{"vpcConfig": {uSubA, uSubB}},
			path: props.MustPath("vpcConfig.subnetIds"), types: sub,
			want: []string{
				want("vpcConfig.subnetIds[0]", "subnet-a-id", true, "subA"),
				want("vpcConfig.subnetIds[1]", "subnet-b-id", true, "subB"),
			},
		},
		{
			name: "path into an array item",
			in:   map[string]any{"subnetIds": []any{"subnet-a-id", "subnet-b-id"}},
			path: props.MustPath("subnetIds[1]"), types: sub,
			want: []string{want("subnetIds[1]", "subnet-b-id", true, "subB")},
		},
		{
			name: "wrong shape on the way",
			in:   map[string]any{"vpcConfig": "subnet-a-id"},
			path: props.MustPath("vpcConfig.subnetIds"), types: sub,
			want: nil,
		},
	})
}

// Preview: values are unknown and the property dependencies tell.
func TestRefsUnknown(t *testing.T) {
	sub := []string{tSubnet}
	bkt := []string{tBucket, tBucketV2}
	unk := props.NewUnknown()
	runRefs(t, []refsCase{
		{
			name: "whole array unknown, dependencies on two subnets and a security group",
			in:   map[string]any{"subnetIds": unk},
			deps: map[string][]string{"subnetIds": {uSubA, uSG, uSubB}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds", "", false, "subA"),
				want("subnetIds", "", false, "subB"),
			},
		},
		{
			name: "whole array unknown, dependency order is kept",
			in:   map[string]any{"subnetIds": unk},
			deps: map[string][]string{"subnetIds": {uSubB, uSubA}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds", "", false, "subB"),
				want("subnetIds", "", false, "subA"),
			},
		},
		{
			name: "secret unknown",
			in:   map[string]any{"subnetIds": props.Secret(unk)},
			deps: map[string][]string{"subnetIds": {uSubA}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds", "", false, "subA")},
		},
		{
			name: "unknown item among known items: the matched dependency is not repeated",
			in:   map[string]any{"subnetIds": []any{"subnet-a-id", unk}},
			deps: map[string][]string{"subnetIds": {uSubA, uSubB}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-a-id", true, "subA"),
				want("subnetIds[1]", "", false, "subB"),
			},
		},
		{
			name: "unknown item first",
			in:   map[string]any{"subnetIds": []any{unk, "subnet-b-id"}},
			deps: map[string][]string{"subnetIds": {uSubA, uSubB}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[1]", "subnet-b-id", true, "subB"),
				want("subnetIds[0]", "", false, "subA"),
			},
		},
		{
			name: "unknown item whose dependencies the known items all matched",
			in:   map[string]any{"subnetIds": []any{"subnet-a-id", unk}},
			deps: map[string][]string{"subnetIds": {uSubA}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-a-id", true, "subA"),
				want("subnetIds[1]", "", false, ""),
			},
		},
		{
			name: "unknown with no dependencies",
			in:   map[string]any{"subnetIds": unk},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds", "", false, "")},
		},
		{
			name: "unknown with dependencies of other types only",
			in:   map[string]any{"subnetIds": unk},
			deps: map[string][]string{"subnetIds": {uSG, uBkt}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds", "", false, "")},
		},
		{
			name: "unknown with a dependency outside the analysis",
			in:   map[string]any{"subnetIds": unk},
			deps: map[string][]string{"subnetIds": {urn(tSubnet, "gone")}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds", "", false, "")},
		},
		{
			name: "dependencies of another property do not count",
			in:   map[string]any{"subnetIds": unk},
			deps: map[string][]string{"vpcSecurityGroupIds": {uSubA}, "subnetId": {uSubB}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds", "", false, "")},
		},
		{
			name: "a dependency listed twice is one ref",
			in:   map[string]any{"subnetIds": unk},
			deps: map[string][]string{"subnetIds": {uSubA, uSubA}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds", "", false, "subA")},
		},
		{
			name: "unknown scalar with a dependency",
			typ:  tEncryption,
			in:   map[string]any{"bucket": unk},
			deps: map[string][]string{"bucket": {uBkt}},
			path: pBucket, types: bkt,
			want: []string{want("bucket", "", false, "bkt")},
		},
		{
			name: "unknown scalar with no dependency",
			typ:  tEncryption,
			in:   map[string]any{"bucket": unk},
			path: pBucket, types: bkt,
			want: []string{want("bucket", "", false, "")},
		},
		{
			name: "unknown parent, dependencies keyed by the top-level property",
			in:   map[string]any{"vpcConfig": unk},
			deps: map[string][]string{"vpcConfig": {uSubB}},
			path: props.MustPath("vpcConfig.subnetIds"), types: sub,
			want: []string{want("vpcConfig.subnetIds", "", false, "subB")},
		},
		{
			name: "unknown nested item, dependencies keyed by the top-level property",
			in:   map[string]any{"vpcConfig": map[string]any{"subnetIds": []any{unk}}},
			deps: map[string][]string{"vpcConfig": {uSubA}, "subnetIds": {uSubB}},
			path: props.MustPath("vpcConfig.subnetIds"), types: sub,
			want: []string{want("vpcConfig.subnetIds[0]", "", false, "subA")},
		},
		{
			name: "resource reference and unknown",
			in:   map[string]any{"subnetIds": []any{props.NewResourceRef(uSubA, ""), unk}},
			deps: map[string][]string{"subnetIds": {uSubA, uSubB}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", uSubA, true, "subA"),
				want("subnetIds[1]", "", false, "subB"),
			},
		},
		{
			name: "the referring resource itself is no candidate of another type",
			in:   map[string]any{"subnetIds": unk},
			deps: map[string][]string{"subnetIds": {urn(tDBSubnetGroup, "from")}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds", "", false, "")},
		},
	})
}

// A known value that names nothing indexed, beside a dependency whose outputs
// lacked the id: both are reported.
func TestRefsKnownUnresolvedWithCandidates(t *testing.T) {
	sub := []string{tSubnet}
	bkt := []string{tBucket, tBucketV2}
	runRefs(t, []refsCase{
		{
			name: "unresolved item and a candidate without id",
			in:   map[string]any{"subnetIds": []any{"subnet-c-id"}},
			deps: map[string][]string{"subnetIds": {uSubC}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-c-id", true, ""),
				want("subnetIds", "", false, "subC"),
			},
		},
		{
			name: "resolved and unresolved items, only the leftover candidate",
			in:   map[string]any{"subnetIds": []any{"subnet-a-id", "subnet-c-id"}},
			deps: map[string][]string{"subnetIds": {uSubA, uSubC}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-a-id", true, "subA"),
				want("subnetIds[1]", "subnet-c-id", true, ""),
				want("subnetIds", "", false, "subC"),
			},
		},
		{
			name: "unresolved item and no candidates",
			in:   map[string]any{"subnetIds": []any{"subnet-c-id"}},
			deps: map[string][]string{"subnetIds": {uSG}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", "subnet-c-id", true, "")},
		},
		{
			name: "unresolved item and no dependencies at all",
			in:   map[string]any{"subnetIds": []any{"subnet-ext"}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", "subnet-ext", true, "")},
		},
		{
			name: "all resolved: dependencies are not consulted",
			in:   map[string]any{"subnetIds": []any{"subnet-a-id"}},
			deps: map[string][]string{"subnetIds": {uSubA, uSubC}},
			path: pSubnetIds, types: sub,
			want: []string{want("subnetIds[0]", "subnet-a-id", true, "subA")},
		},
		{
			name: "unresolved scalar and a bucket without outputs",
			typ:  tEncryption,
			in:   map[string]any{"bucket": "logs-bucket-name"},
			deps: map[string][]string{"bucket": {uBktNoID}},
			path: pBucket, types: bkt,
			want: []string{
				want("bucket", "logs-bucket-name", true, ""),
				want("bucket", "", false, "bktNoId"),
			},
		},
		{
			name: "unresolved item and an unknown item share the candidate",
			in:   map[string]any{"subnetIds": []any{"subnet-c-id", unknown()}},
			deps: map[string][]string{"subnetIds": {uSubC}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", "subnet-c-id", true, ""),
				want("subnetIds[1]", "", false, "subC"),
			},
		},
		{
			name: "unresolved resource reference and a candidate",
			in:   map[string]any{"subnetIds": []any{props.NewResourceRef(urn(tSubnet, "elsewhere"), "")}},
			deps: map[string][]string{"subnetIds": {uSubC}},
			path: pSubnetIds, types: sub,
			want: []string{
				want("subnetIds[0]", urn(tSubnet, "elsewhere"), true, ""),
				want("subnetIds", "", false, "subC"),
			},
		},
	})
}

func unknown() props.Value { return props.NewUnknown() }

func TestTargets(t *testing.T) {
	g := named(graph.New(targetsFixture()))
	a, b, c := byName(t, g, "subA"), byName(t, g, "subB"), byName(t, g, "subC")
	cases := []struct {
		name string
		refs []graph.Ref
		want []string
	}{
		{"none", nil, nil},
		{"only nil targets", []graph.Ref{{Value: "x", Known: true}, {}}, nil},
		{"one", []graph.Ref{{Target: a}}, []string{"subA"}},
		{"dedupe and sort by URN",
			[]graph.Ref{{Target: c}, {Target: a}, {}, {Target: c, Known: true}, {Target: b}, {Target: a}},
			[]string{"subA", "subB", "subC"}},
		{"sorted by URN, not by name or type",
			[]graph.Ref{{Target: byName(t, g, "sg")}, {Target: byName(t, g, "bkt")}, {Target: b}},
			// urn:pulumi:dev::p::aws:ec2/securityGroup < aws:ec2/subnet < aws:s3/bucket
			[]string{"sg", "subB", "bkt"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(graph.Targets(tc.refs)); !slices.Equal(got, tc.want) {
				t.Errorf("Targets = %v, want %v", got, tc.want)
			}
		})
	}
}

// Targets over real Refs: a whole-array unknown with two dependencies plus a
// known value naming one of them gives each target once.
func TestTargetsOfRefs(t *testing.T) {
	from := res(tDBSubnetGroup, "from",
		map[string]any{"subnetIds": []any{"subnet-b-id", unknown(), "subnet-b-id", "subnet-ext"}},
		nil, map[string][]string{"subnetIds": {uSubB, uSubA}})
	g := named(graph.New(append(targetsFixture(), from)))
	got := names(graph.Targets(g.Refs(from, pSubnetIds, tSubnet)))
	if want := []string{"subA", "subB"}; !slices.Equal(got, want) {
		t.Errorf("Targets = %v, want %v", got, want)
	}
}

func TestReferrersOf(t *testing.T) {
	unk := unknown()
	rs := append(targetsFixture(),
		// Refers to subA by value.
		res(tDBSubnetGroup, "byValue", map[string]any{"subnetIds": []any{"subnet-b-id", "subnet-a-id"}}, nil,
			map[string][]string{"subnetIds": {uSubA, uSubB}}),
		// Refers to subA by property dependency (preview).
		res(tDBSubnetGroup, "byDep", map[string]any{"subnetIds": unk}, nil,
			map[string][]string{"subnetIds": {uSubA}}),
		// Refers to subA twice: listed once.
		res(tDBSubnetGroup, "twice", map[string]any{"subnetIds": []any{"subnet-a-id", uSubA, unk}}, nil,
			map[string][]string{"subnetIds": {uSubA}}),
		// Refers to subB only.
		res(tDBSubnetGroup, "other", map[string]any{"subnetIds": []any{"subnet-b-id"}}, nil,
			map[string][]string{"subnetIds": {uSubB}}),
		// Unknown without dependencies: cannot tell, not a referrer.
		res(tDBSubnetGroup, "unknownNoDeps", map[string]any{"subnetIds": unk}, nil, nil),
		// Dependency on subA under another property.
		res(tDBSubnetGroup, "otherProp", map[string]any{"subnetIds": unk, "tags": unk}, nil,
			map[string][]string{"tags": {uSubA}}),
		// Refers to subA by URN through a resource reference.
		res(tDBSubnetGroup, "byRef", map[string]any{"subnetIds": []any{props.NewResourceRef(uSubA, "")}}, nil, nil),
		// A resource of a type not asked for, referring to subA by value.
		res("aws:elasticache/subnetGroup:SubnetGroup", "cache",
			map[string]any{"subnetIds": []any{"subnet-a-id"}}, nil, nil),
		// Refers to subA by value under another path.
		res(tDBSubnetGroup, "otherPath", map[string]any{"subnetId": "subnet-a-id"}, nil, nil),
		// Refers to subC by value where outputs lacked the id, through the
		// leftover dependency.
		res(tDBSubnetGroup, "byLeftover", map[string]any{"subnetIds": []any{"subnet-c-id"}}, nil,
			map[string][]string{"subnetIds": {uSubC}}),
	)
	g := named(graph.New(rs))
	cases := []struct {
		name   string
		target string
		path   props.Path
		types  []string
		want   []string
	}{
		{"by value, by dependency and by reference, in request order", "subA", pSubnetIds,
			[]string{tDBSubnetGroup}, []string{"byValue", "byDep", "twice", "byRef"}},
		{"several referrer types", "subA", pSubnetIds,
			[]string{"aws:elasticache/subnetGroup:SubnetGroup", tDBSubnetGroup},
			[]string{"cache", "byValue", "byDep", "twice", "byRef"}},
		{"other target", "subB", pSubnetIds, []string{tDBSubnetGroup}, []string{"byValue", "other"}},
		{"leftover dependency", "subC", pSubnetIds, []string{tDBSubnetGroup}, []string{"byLeftover"}},
		{"other path", "subA", props.MustPath("subnetId"), []string{tDBSubnetGroup}, []string{"otherPath"}},
		{"nobody refers to the security group", "sg", pSubnetIds, []string{tDBSubnetGroup}, nil},
		{"no referrer type present", "subA", pSubnetIds, []string{tEncryption}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := names(g.ReferrersOf(byName(t, g, c.target), c.path, c.types...))
			if !slices.Equal(got, c.want) {
				t.Errorf("ReferrersOf(%s, %s, %v) = %v, want %v", c.target, c.path, c.types, got, c.want)
			}
		})
	}
}

// Refs must not change the resource it reads nor depend on an earlier call.
func TestRefsIsRepeatable(t *testing.T) {
	from := res(tDBSubnetGroup, "from",
		map[string]any{"subnetIds": []any{"subnet-a-id", unknown(), "subnet-ext"}},
		nil, map[string][]string{"subnetIds": {uSubA, uSubB}})
	g := named(graph.New(append(targetsFixture(), from)))
	first := refStrings(g.Refs(from, pSubnetIds, tSubnet))
	for range 3 {
		if again := refStrings(g.Refs(from, pSubnetIds, tSubnet)); !slices.Equal(first, again) {
			t.Fatalf("second call differs:\n %v\n %v", first, again)
		}
	}
	wantRefs := []string{
		want("subnetIds[0]", "subnet-a-id", true, "subA"),
		want("subnetIds[2]", "subnet-ext", true, ""),
		want("subnetIds[1]", "", false, "subB"),
	}
	if !slices.Equal(first, wantRefs) {
		t.Errorf("refs:\n got  %s\n want %s", fmtList(first), fmtList(wantRefs))
	}
	// The paths handed out are independent: changing one does not change
	// another or the next call's.
	refs := g.Refs(from, pSubnetIds, tSubnet)
	refs[0].Path[0].Key = "changed"
	if got := refStrings(g.Refs(from, pSubnetIds, tSubnet)); !slices.Equal(got, wantRefs) {
		t.Errorf("after changing a returned path: %s", fmtList(got))
	}
	if pSubnetIds.String() != "subnetIds" {
		t.Errorf("the caller's path changed to %s", pSubnetIds)
	}
}
