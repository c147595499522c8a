// Package aws is the adapter from pulumi-aws (v6 and v7 tokens) to the
// guide's model: S3 buckets and their encryption, and (in the packages
// beside it) the network, RDS, load balancers and EKS. It owns the AWS type
// tokens; no policy names one.
package aws

import "github.com/selfhosted-hardening/selfhosted-hardening/model"

// Adapter reads pulumi-aws resources into the model.
type Adapter struct{ model.None }

// PhysicalNames lists, per type, the outputs that hold a resource's
// physical name, by which other resources refer to it.
func (Adapter) PhysicalNames() map[string][]string {
	return map[string][]string{
		TypeS3Bucket:           {"bucket"},
		TypeS3BucketV2:         {"bucket"},
		TypeRDSInstance:        {"identifier"},
		TypeRDSCluster:         {"clusterIdentifier"},
		TypeRDSClusterInstance: {"identifier"},
		TypeRDSGlobalCluster:   {"globalClusterIdentifier"},
		TypeOpenSearchDomain:   {"domainName"},
	}
}
