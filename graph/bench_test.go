package graph_test

import (
	"strconv"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// benchStack builds n resources (n a multiple of 4) in groups of four: a
// subnet, a DB subnet group naming that subnet and the previous one by id, a
// bucket, and a bucket encryption configuration naming the bucket. Every
// reference is in the stack.
func benchStack(n int) []*graph.Resource {
	rs := make([]*graph.Resource, 0, n)
	for i := 0; i < n/4; i++ {
		s := strconv.Itoa(i)
		prev := strconv.Itoa(max(i-1, 0))
		subnetID := "subnet-" + s
		rs = append(rs,
			&graph.Resource{
				URN: urn(tSubnet, "subnet"+s), Type: tSubnet, Name: "subnet" + s,
				Props: props.FromGo(map[string]any{"vpcId": "vpc-1", "cidrBlock": "10.0.0.0/24"}),
				Outputs: props.FromGo(map[string]any{"id": subnetID, "vpcId": "vpc-1",
					"arn": "arn:aws:ec2:us-east-1:111111111111:subnet/" + subnetID}),
			},
			&graph.Resource{
				URN: urn(tDBSubnetGroup, "group"+s), Type: tDBSubnetGroup, Name: "group" + s,
				Props: props.FromGo(map[string]any{"name": "group-" + s,
					"subnetIds": []any{subnetID, "subnet-" + prev}}),
				Outputs: props.FromGo(map[string]any{"id": "group-" + s, "name": "group-" + s,
					"arn": "arn:aws:rds:us-east-1:111111111111:subgrp:group-" + s}),
				PropertyDependencies: map[string][]string{
					"subnetIds": {urn(tSubnet, "subnet"+s), urn(tSubnet, "subnet"+prev)},
				},
			},
			&graph.Resource{
				URN: urn(tBucket, "bucket"+s), Type: tBucket, Name: "bucket" + s,
				Props: props.FromGo(map[string]any{"bucket": "bucket-" + s}),
				Outputs: props.FromGo(map[string]any{"id": "bucket-" + s, "bucket": "bucket-" + s,
					"arn": "arn:aws:s3:::bucket-" + s}),
			},
			&graph.Resource{
				URN: urn(tEncryption, "enc"+s), Type: tEncryption, Name: "enc" + s,
				Props: props.FromGo(map[string]any{"bucket": "bucket-" + s,
					"rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{
						"sseAlgorithm": "aws:kms"}}}}),
				Outputs:              props.FromGo(map[string]any{"id": "bucket-" + s, "bucket": "bucket-" + s}),
				PropertyDependencies: map[string][]string{"bucket": {urn(tBucket, "bucket"+s)}},
			},
		)
	}
	return rs
}

var bucketTypes = []string{tBucket, tBucketV2}

// resolveAll builds the graph and resolves every reference once; it returns
// the number of refs with an in-stack target.
func resolveAll(rs []*graph.Resource) int {
	g := named(graph.New(rs))
	found := 0
	for _, r := range g.OfType(tDBSubnetGroup) {
		for _, ref := range g.Refs(r, pSubnetIds, tSubnet) {
			if ref.Target != nil {
				found++
			}
		}
	}
	for _, r := range g.OfType(tEncryption) {
		for _, ref := range g.Refs(r, pBucket, bucketTypes...) {
			if ref.Target != nil {
				found++
			}
		}
	}
	return found
}

// The benchmark stack is correct: every reference is found, and found in
// the stack (the benchmark would otherwise time a different path).
func TestBenchStack(t *testing.T) {
	for _, n := range []int{4, 100, 1000} {
		// Per group: two subnet refs and one bucket ref.
		if got, want := resolveAll(benchStack(n)), 3*(n/4); got != want {
			t.Errorf("n=%d: %d refs with a target, want %d", n, got, want)
		}
	}
}

func BenchmarkNewAndRefs(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			rs := benchStack(n)
			b.ReportAllocs()
			for b.Loop() {
				if resolveAll(rs) != 3*(n/4) {
					b.Fatal("wrong number of refs")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
		})
	}
}
