// Package gen generates large stacks for benchmarks and scale tests, in the
// shapes the real ECS installer registers (testdata/corpus): copies of both
// recorded stacks, each with its references renamed to stay inside the copy,
// plus an in-stack VPC per copy (public and private subnets, route tables,
// an internet gateway) that the copy's subnet ids name, so the network
// policies follow every join.
package gen

import (
	"fmt"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/corpus"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

const mockARN = "arn:aws:mock:us-west-2:123456789012:"

// Stack returns exactly n resources (update mode: known ids), the corpus
// repeated as often as needed.
func Stack(n int) ([]*hardeningtest.Resource, error) {
	dir := filepath.Join(testbin.Root(), "testdata", "corpus", "ecs-installer")
	var base []*hardeningtest.Resource
	for _, f := range []string{"infrastructure.json", "application.json"} {
		rs, err := corpus.Load(filepath.Join(dir, f), "bench", "dev")
		if err != nil {
			return nil, err
		}
		base = append(base, rs...)
	}
	var out []*hardeningtest.Resource
	for k := 0; len(out) < n; k++ {
		out = append(out, network(k)...)
		for _, r := range base {
			out = append(out, rename(r, k))
		}
	}
	return out[:n], nil
}

// Graph returns the stack as the server hands it to stack policies.
func Graph(rs []*hardeningtest.Resource) *graph.Graph {
	out := make([]*graph.Resource, len(rs))
	for i, r := range rs {
		out[i] = &graph.Resource{
			URN: r.URN, Type: r.Type, Name: r.Name,
			Props: props.Decode(r.Inputs), Outputs: props.Decode(r.Outputs),
			Parent: r.Parent, PropertyDependencies: r.PropertyDependencies,
		}
	}
	return graph.New(out)
}

func suffix(name string, k int) string { return fmt.Sprintf("%s-%d", name, k) }

// rename gives copy k of r: its name, and every string that names a corpus
// resource by name, id or ARN, or a subnet, group or VPC id of the
// recording, suffixed with k.
func rename(r *hardeningtest.Resource, k int) *hardeningtest.Resource {
	c := *r
	c.Name = suffix(r.Name, k)
	c.URN = strings.TrimSuffix(r.URN, "::"+r.Name) + "::" + c.Name
	c.Inputs = renameStruct(r.Inputs, k)
	c.Outputs = renameStruct(r.Outputs, k)
	return &c
}

func renameStruct(s *structpb.Struct, k int) *structpb.Struct {
	return props.EncodeObject(renameValue(props.Decode(s), k))
}

func renameValue(v props.Value, k int) props.Value {
	return props.Rewrite(v, func(x props.Value) props.Value {
		s, ok := x.Str()
		if !ok {
			return x
		}
		renamed, ok := renameString(s, k)
		if !ok {
			return x
		}
		if x.IsSecret() {
			return props.Secret(props.NewString(renamed))
		}
		return props.NewString(renamed)
	})
}

func renameString(s string, k int) (string, bool) {
	switch {
	case strings.HasPrefix(s, mockARN):
		return mockARN + suffix(strings.TrimPrefix(s, mockARN), k), true
	case strings.HasSuffix(s, "-id") && (strings.HasPrefix(s, "pulumi") || strings.HasPrefix(s, "migrations")):
		return suffix(strings.TrimSuffix(s, "-id"), k) + "-id", true
	case strings.HasPrefix(s, "subnet-") || strings.HasPrefix(s, "sg-") || s == "vpc-123":
		return suffix(s, k), true
	}
	return s, false
}

// network builds copy k's VPC: subnets whose ids are the recording's subnet
// ids (suffixed), public ones routed to an internet gateway.
func network(k int) []*hardeningtest.Resource {
	var out []*hardeningtest.Resource
	add := func(typ, name string, in map[string]any) {
		name = suffix(name, k)
		inputs := props.EncodeObject(props.FromGo(in))
		outputs := props.EncodeObject(props.FromGo(in))
		id := name + "-id"
		if strings.HasPrefix(name, "subnet-") {
			id = name
		}
		outputs.Fields["id"] = structpb.NewStringValue(id)
		outputs.Fields["arn"] = structpb.NewStringValue(mockARN + name)
		out = append(out, &hardeningtest.Resource{
			URN: "urn:pulumi:dev::bench::" + typ + "::" + name, Type: typ, Name: name, Custom: true,
			Inputs: inputs, Outputs: outputs,
		})
	}
	vpc := suffix("vpc-net", k) + "-id"
	add("aws:ec2/vpc:Vpc", "vpc-net", map[string]any{"cidrBlock": "10.0.0.0/16"})
	add("aws:ec2/internetGateway:InternetGateway", "igw", map[string]any{"vpcId": vpc})
	add("aws:ec2/routeTable:RouteTable", "public-rt", map[string]any{"vpcId": vpc,
		"routes": []any{map[string]any{"cidrBlock": "0.0.0.0/0", "gatewayId": suffix("igw", k) + "-id"}}})
	add("aws:ec2/routeTable:RouteTable", "private-rt", map[string]any{"vpcId": vpc})
	for i, s := range []string{"subnet-pub1", "subnet-pub2", "subnet-priv1", "subnet-priv2", "subnet-iso1", "subnet-iso2"} {
		add("aws:ec2/subnet:Subnet", s, map[string]any{"vpcId": vpc, "cidrBlock": fmt.Sprintf("10.0.%d.0/24", i)})
		rt := "private-rt"
		if strings.Contains(s, "pub") {
			rt = "public-rt"
		}
		add("aws:ec2/routeTableAssociation:RouteTableAssociation", "rta-"+s, map[string]any{
			"subnetId": suffix(s, k), "routeTableId": suffix(rt, k) + "-id"})
	}
	return out
}
