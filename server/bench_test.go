package server_test

import (
	"context"
	"fmt"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/gen"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

func stackRequest(rs []*hardeningtest.Resource) *pulumirpc.AnalyzeStackRequest {
	req := &pulumirpc.AnalyzeStackRequest{}
	for _, r := range rs {
		res := &pulumirpc.AnalyzerResource{Urn: r.URN, Type: r.Type, Name: r.Name, Properties: r.Outputs}
		for p, urns := range r.PropertyDependencies {
			if res.PropertyDependencies == nil {
				res.PropertyDependencies = map[string]*pulumirpc.AnalyzerPropertyDependencies{}
			}
			res.PropertyDependencies[p] = &pulumirpc.AnalyzerPropertyDependencies{Urns: urns}
		}
		req.Resources = append(req.Resources, res)
	}
	return req
}

// BenchmarkAnalyze measures the engine's per-resource call, Analyze, for
// each policy family alone (a pack of that guide section's policies) over
// the installer's resources in turn, decoding included.
func BenchmarkAnalyze(b *testing.B) {
	rs, err := gen.Stack(130)
	if err != nil {
		b.Fatal(err)
	}
	families := map[string][]*policy.Policy{}
	for _, p := range policies.All() {
		if p.Resource != nil {
			families[p.Section.Tag] = append(families[p.Section.Tag], p)
		}
	}
	families["all"] = policies.All()
	for _, name := range []string{"encryption-at-rest", "network", "secrets", "encryption-in-transit", "smtp-captcha", "all"} {
		pack, err := policy.NewPack("bench", "Bench", "0.0.0", "bench", policies.Guide, families[name]...)
		if err != nil {
			b.Fatal(err)
		}
		s := server.New(pack)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			i := 0
			for b.Loop() {
				r := rs[i%len(rs)]
				i++
				if _, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: r.URN, Type: r.Type, Name: r.Name,
					Properties: r.Inputs}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkServerAnalyzeStack measures the server's AnalyzeStack on
// generated stacks, decoding and indexing included, after the Analyze calls
// that precede it in a real run. ns/resource stays flat when cost is linear.
func BenchmarkServerAnalyzeStack(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		rs, err := gen.Stack(n)
		if err != nil {
			b.Fatal(err)
		}
		s := server.New(policies.Pack())
		ctx := context.Background()
		for _, r := range rs {
			if _, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: r.URN, Type: r.Type, Name: r.Name,
				Properties: r.Inputs}); err != nil {
				b.Fatal(err)
			}
		}
		req := stackRequest(rs)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.AnalyzeStack(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
		})
	}
}

// BenchmarkKubernetes is the EKS-shaped counterpart: Analyze per resource
// (all policies) and AnalyzeStack, over a generated 1,000-resource stack of
// the EKS installer's Kubernetes objects.
func BenchmarkKubernetes(b *testing.B) { benchBothCalls(b, gen.KubeStack(1000)) }

// benchBothCalls measures Analyze per resource of rs, in turn, and one
// AnalyzeStack over all of rs.
func benchBothCalls(b *testing.B, rs []*hardeningtest.Resource) {
	s := server.New(policies.Pack())
	ctx := context.Background()
	b.Run("Analyze", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r := rs[i%len(rs)]
			i++
			if _, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: r.URN, Type: r.Type, Name: r.Name,
				Properties: r.Inputs}); err != nil {
				b.Fatal(err)
			}
		}
	})
	req := stackRequest(rs)
	b.Run("AnalyzeStack/N=1000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.AnalyzeStack(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rs)), "ns/resource")
	})
}

// BenchmarkCloud measures both calls over a stack in the AKS and GKE
// installers' shapes (gen.CloudStack: Azure and Google Cloud resources, the
// ingress-nginx Helm release, a RandomString key), which the Azure, Google
// Cloud and Helm adapters read.
func BenchmarkCloud(b *testing.B) { benchBothCalls(b, gen.CloudStack(1000)) }
