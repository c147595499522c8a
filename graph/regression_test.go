package graph_test

import (
	"slices"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// With several unknown items, the engine does not say which dependency fed
// which item, so the candidates carry the array's path, not the first
// unknown item's (a message built from Ref.Path would name the wrong item).
func TestDependencyRefsOfSeveralUnknownItemsNameTheArray(t *testing.T) {
	unk := props.NewUnknown()
	from := res(tDBSubnetGroup, "from",
		map[string]any{"subnetIds": []any{unk, unk}}, nil,
		map[string][]string{"subnetIds": {uSubA, uSubB}})
	g := named(graph.New(append(targetsFixture(), from)))
	checkRefs(t, g.Refs(from, pSubnetIds, tSubnet), []string{
		want("subnetIds", "", false, "subA"),
		want("subnetIds", "", false, "subB"),
	})
}

// OfType with a single type returns the index's own slice, which has spare
// capacity; with several types it returns a fresh one. Two callers that
// append to the result of OfType(t) (e.g. to add the resources of a second,
// rarer type) write into the same backing array, and the first caller's
// slice silently changes.
func TestOfTypeSingleTypeDoesNotShareIndexSlice(t *testing.T) {
	rs := []*graph.Resource{
		res(tSubnet, "s1", nil, map[string]any{"id": "subnet-1"}, nil),
		res(tSubnet, "s2", nil, map[string]any{"id": "subnet-2"}, nil),
		res(tSubnet, "s3", nil, map[string]any{"id": "subnet-3"}, nil),
		res(tSecurityGroup, "sgX", nil, map[string]any{"id": "sg-x"}, nil),
		res(tBucket, "bY", nil, map[string]any{"id": "b-y"}, nil),
	}
	g := named(graph.New(rs))
	first := append(g.OfType(tSubnet), g.ByURN(urn(tSecurityGroup, "sgX")))
	second := append(g.OfType(tSubnet), g.ByURN(urn(tBucket, "bY")))
	if got, want := names(first), []string{"s1", "s2", "s3", "sgX"}; !slices.Equal(got, want) {
		t.Errorf("first caller's slice = %v, want %v (second = %v)", got, want, names(second))
	}
}
