package policies

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/selfhosted-hardening/selfhosted-hardening/awsnet"
	"github.com/selfhosted-hardening/selfhosted-hardening/generated"
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// Types the bad-input world holds besides those the policies list in Types
// (stack policies and awsnet read these through the graph).
const (
	bwDefaultSG    = awsnet.TypeDefaultSecurityGroup
	bwDefaultRT    = awsnet.TypeDefaultRouteTable
	bwCidrAssoc    = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"
	bwPrefixList   = "aws:ec2/managedPrefixList:ManagedPrefixList"
	bwCidrAssoc6   = "aws:ec2/vpcIpv6CidrBlockAssociation:VpcIpv6CidrBlockAssociation"
	bwPrefixEntry  = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"
	badKMSKey      = "arn:aws:kms:us-west-2:123456789012:key/0a1b2c3d-bad-input"
	badExemptScrat = "s3-bucket-encrypted: scratch space for build caches, no data at rest"
)

// badWorldTypes is every type the bad-input world must hold a resource of:
// every type a policy lists, and every type a stack policy or awsnet looks
// up in the graph. TestBadInputWorld checks both.
var badWorldTypes = []string{
	tVPC, tSubnet, tRT, tRoute, tRTA, tMain, tIGW, bwDefaultRT, bwCidrAssoc, bwCidrAssoc6,
	tSG, bwDefaultSG, tSGRule, tIn, tOut, bwPrefixList, bwPrefixEntry,
	typeRDSInstance, typeRDSCluster, typeRDSGlobalCluster, typeRDSClusterInstance, typeRDSSubnetGroup,
	typeRDSParameterGroup, typeRDSClusterParameterGroup,
	typeSecretVersion, typeSSMParameter,
	typeLBListener, typeALBListener, typeLBListenerRule, typeALBListenerRule, typeLBTargetGroup, typeALBTargetGroup,
	typeLoadBalancer, typeALBLoadBalancer,
	typeOpenSearchDomain, typeElasticsearchDomain,
	typeECSService, taskdef.Type, typeEC2Instance, typeLaunchTemplate, typeEKSNodeGroup, typeAutoscalingGroup,
	typeS3Bucket, typeS3BucketV2, typeS3EncryptionV2, typeS3Encryption,
	tDeployment, tSecret, tConfigMap, kube.TypeIngress, kube.TypeIngressV1beta1, kube.TypeIngressExt, kube.TypeService,
	// secrets: generators whose values become keys.
	generated.TypeRandomString, generated.TypeRandomID, generated.TypeRandomPassword,
}

// badDefs are the containers of the bad-input world's task definition: a
// hardened API, Console and migrations.
func badDefs() []any {
	console := container("console", consoleImage, []string{"CONSOLE_TLS_CERTIFICATE", "-----BEGIN CERTIFICATE-----",
		"CONSOLE_MIN_TLS_VERSION", "1.3", "NODE_EXTRA_CA_CERTS", "/etc/ssl/private-ca.pem",
		"RECAPTCHA_SITE_KEY", "0x4AAAAAAA-site-key"}, "CONSOLE_TLS_PRIVATE_KEY")
	migrations := container("migrations", migrationsImage, []string{"DATABASE_CA_CERTIFICATE",
		"-----BEGIN CERTIFICATE-----", "DATABASE_MIN_TLS_VERSION", "1.2"}, "DATABASE_PASSWORD")
	api := hardenedAPI()
	api["environmentFiles"] = l{m{"value": "arn:aws:s3:::config-bucket/api.env", "type": "s3"}}
	return l{api, console, migrations}
}

func defsJSON(defs any) string {
	data, err := json.Marshal(defs)
	if err != nil {
		panic(err)
	}
	return string(data)
}

// badWorld has a resource of every type the policies read, each in the
// shape of a hardened deployment, so that a bad value anywhere is seen by the
// policy that reads it. It has both shapes where providers differ (inline
// and separate rules, v6 and v7 tokens, blocks as objects and as lists),
// both branches where a policy reads different properties (a replica and a
// source, a SecureString and a String parameter), and an exempted violation.
func badWorld() []*fixture.Res {
	rs := dbWorld(nil,
		// The network beyond network(): a second VPC whose subnets use its
		// default route table, a main route table association, a second
		// CIDR block, a default security group, a managed prefix list.
		fixture.R(tVPC, "vpc2", m{"cidrBlock": "10.2.0.0/16", "defaultRouteTableId": "rtb-vpc2-default"}),
		fixture.R(bwDefaultRT, "vpc2-default-rt", m{"defaultRouteTableId": "rtb-vpc2-default",
			"routes": l{m{"cidrBlock": "0.0.0.0/0", "natGatewayId": fixture.ID("nat")}, m{"ipv6CidrBlock": "::/0",
				"egressOnlyGatewayId": "eigw-1"}}}),
		fixture.R(tSubnet, "private-c", m{"vpcId": fixture.ID("vpc2"), "cidrBlock": "10.2.0.0/24", "mapPublicIpOnLaunch": false}),
		fixture.R(tSubnet, "private-d", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.0.4.0/24", "mapPublicIpOnLaunch": false,
			"assignIpv6AddressOnCreation": false}),
		fixture.R(tMain, "main-rta", m{"vpcId": fixture.ID("vpc"), "routeTableId": fixture.ID("private-rt")}),
		fixture.R(bwCidrAssoc, "vpc-cidr-2", m{"vpcId": fixture.ID("vpc"), "cidrBlock": "10.1.0.0/16"}),
		fixture.R(bwCidrAssoc6, "vpc-cidr-6", m{"vpcId": fixture.ID("vpc"), "ipv6CidrBlock": "2600:1f14:abc:df00::/56"}),
		fixture.R(bwPrefixEntry, "corp-pl-2", m{"prefixListId": fixture.ID("corp-pl"), "cidr": "10.9.0.0/16", "description": "lab"}),
		fixture.R(bwPrefixList, "corp-pl", m{"name": "corp", "addressFamily": "IPv4", "maxEntries": 4,
			"entries": l{m{"cidr": "10.8.0.0/16", "description": "corp"}}}),
		fixture.R(bwDefaultSG, "default-sg", m{"vpcId": fixture.ID("vpc"),
			"ingress": l{m{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true}},
			"egress":  l{m{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": l{"10.0.0.0/16"}}}}),

		// Security group rules in all forms.
		fixture.R(tSGRule, "app-in", m{"type": "ingress", "protocol": "tcp", "fromPort": 8080, "toPort": 8080,
			"securityGroupId": fixture.ID("app-sg"), "sourceSecurityGroupId": fixture.ID("lb-sg")}),
		fixture.R(tSGRule, "app-in-cidr", m{"type": "ingress", "protocol": "tcp", "fromPort": 8080, "toPort": 8080,
			"securityGroupId": fixture.ID("app-sg"), "cidrBlocks": l{"10.0.0.0/16"}, "ipv6CidrBlocks": l{"fd00::/8"},
			"prefixListIds": l{fixture.ID("corp-pl")}, "self": true}),
		fixture.R(tSGRule, "app-out", m{"type": "egress", "protocol": "tcp", "fromPort": 443, "toPort": 443,
			"securityGroupId": fixture.ID("app-sg"), "cidrBlocks": l{"0.0.0.0/0"}}),
		fixture.R(tIn, "db-in", m{"ipProtocol": "tcp", "fromPort": 3306, "toPort": 3306, "securityGroupId": fixture.ID("db-sg"),
			"referencedSecurityGroupId": fixture.ID("app-sg")}),
		fixture.R(tIn, "search-in", m{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "securityGroupId": fixture.ID("search-sg"),
			"cidrIpv4": "10.0.0.0/16"}),
		fixture.R(tIn, "search-in6", m{"ipProtocol": "6", "fromPort": 443, "toPort": 443, "securityGroupId": fixture.ID("search-sg"),
			"cidrIpv6": "fd00::/8", "prefixListId": fixture.ID("corp-pl")}),
		fixture.R(tOut, "app-out-pl", m{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "securityGroupId": fixture.ID("app-sg"),
			"prefixListId": fixture.ID("corp-pl")}),
		fixture.R(tSG, "lb-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{m{"protocol": "tcp", "fromPort": 443, "toPort": 443,
			"cidrBlocks": l{"203.0.113.0/24"}, "ipv6CidrBlocks": l{"fd00::/8"}}},
			"egress": l{m{"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "securityGroups": l{fixture.ID("app-sg")}}}}),
		fixture.R(tSG, "search-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{m{"protocol": "tcp", "fromPort": 443, "toPort": 443,
			"securityGroups": l{fixture.ID("app-sg")}, "prefixListIds": l{}}}}),
		fixture.R(tSG, "inst-sg", m{"vpcId": fixture.ID("vpc"), "ingress": l{m{"protocol": "tcp", "fromPort": 5432, "toPort": 5432,
			"securityGroups": l{fixture.ID("app-sg")}, "self": false}}}),

		// Load balancers, listeners, rules and target groups (aws.lb and aws.alb).
		fixture.R(typeLoadBalancer, "lb", m{"internal": false, "securityGroups": l{fixture.ID("lb-sg")}, "subnets": l{fixture.ID("public-a")}}),
		fixture.R(typeALBLoadBalancer, "alb", m{"internal": false, "securityGroups": l{fixture.ID("lb-sg")},
			"subnets": l{fixture.ID("public-b")}}),
		fixture.R(typeLBListener, "https", m{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"loadBalancerArn": fixture.ID("lb"), "defaultActions": l{m{"type": "forward", "targetGroupArn": fixture.ID("tg")}}}),
		fixture.R(typeLBListener, "http", m{"protocol": "HTTP", "loadBalancerArn": fixture.ID("lb"), "defaultActions": l{m{
			"type": "redirect", "redirect": m{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}}),
		fixture.R(typeALBListener, "alb-tls", m{"protocol": "TLS", "sslPolicy": "ELBSecurityPolicy-TLS-1-2-2017-01",
			"loadBalancerArn": fixture.ID("alb"), "defaultActions": m{"type": "forward", "targetGroupArn": fixture.ID("alb-tg")}}),
		fixture.R(typeALBListener, "alb-http", m{"loadBalancerArn": fixture.ID("alb"), "defaultActions": m{"type": "redirect",
			"redirect": m{"protocol": "HTTPS", "port": "443"}}}),
		fixture.R(typeLBListenerRule, "rule", m{"listenerArn": fixture.ID("https"), "actions": l{m{"type": "forward",
			"targetGroupArn": fixture.ID("tg")}}}),
		fixture.R(typeLBListenerRule, "http-rule", m{"listenerArn": fixture.ID("http"), "actions": l{m{"type": "redirect",
			"redirect": m{"protocol": "HTTPS"}}}}),
		fixture.R(typeALBListenerRule, "alb-rule", m{"listenerArn": fixture.ID("alb-http"), "actions": m{"type": "fixed-response"}}),
		fixture.R(typeLBTargetGroup, "tg", m{"protocol": "HTTPS", "port": 8443}),
		fixture.R(typeALBTargetGroup, "alb-tg", m{"protocol": "HTTPS", "port": 3000}),

		// The app tier in every form the policies place.
		fixture.R(taskdef.Type, "td", m{"containerDefinitions": defsJSON(badDefs())}),
		fixture.R(typeECSService, "svc", m{"taskDefinition": fixture.ID("td"), "networkConfiguration": m{"subnets": l{fixture.ID("private-a")},
			"securityGroups": l{fixture.ID("app-sg")}, "assignPublicIp": false},
			"loadBalancers": l{m{"containerName": "api", "targetGroupArn": fixture.ID("tg")},
				m{"containerName": "console", "targetGroupArn": fixture.ID("alb-tg")}}}),
		fixture.R(typeEC2Instance, "vm", m{"subnetId": fixture.ID("private-a"), "associatePublicIpAddress": false,
			"vpcSecurityGroupIds": l{fixture.ID("app-sg"), fixture.ID("default-sg")}}),
		fixture.R(typeEC2Instance, "vm-eni", m{"networkInterfaces": l{m{"networkInterfaceId": "eni-0abc", "deviceIndex": 0}}}),
		fixture.R(typeLaunchTemplate, "lt", m{"networkInterfaces": l{m{"associatePublicIpAddress": false,
			"subnetId": fixture.ID("private-b"), "securityGroups": l{fixture.ID("app-sg")}}}, "vpcSecurityGroupIds": l{fixture.ID("app-sg")}}),
		fixture.R(typeEKSNodeGroup, "ng", m{"clusterName": "eks", "subnetIds": l{fixture.ID("private-c")},
			"nodeRoleArn": "arn:aws:iam::123456789012:role/ng"}),
		fixture.R(typeAutoscalingGroup, "asg", m{"vpcZoneIdentifiers": l{fixture.ID("private-d")}, "minSize": 1, "maxSize": 2,
			"launchTemplate": m{"id": fixture.ID("lt"), "version": "$Latest"}}),
		// EKS clusters and @pulumi/eks components, hardened: private
		// endpoints, Secrets encrypted, nodes in private subnets.
		fixture.R(typeEKSCluster, "eks-aws", m{"vpcConfig": m{"endpointPublicAccess": false, "endpointPrivateAccess": true,
			"subnetIds": l{fixture.ID("private-a")}}, "encryptionConfig": m{"resources": l{"secrets"},
			"provider": m{"keyArn": "arn:aws:kms:us-east-1:123456789012:key/eks"}}}),
		fixture.R(typeEKSComponentCluster, "eks-comp", m{"endpointPublicAccess": false, "endpointPrivateAccess": true,
			"encryptionConfigKeyArn": "arn:aws:kms:us-east-1:123456789012:key/eks2"}),
		fixture.R(typeEKSManagedNodeGroup, "eks-mng", m{"subnetIds": l{fixture.ID("private-b")}}),
		fixture.R(typeEKSNodeGroupV2, "eks-ng2", m{"nodeSubnetIds": l{fixture.ID("private-c")},
			"nodeAssociatePublicIpAddress": false}),
		fixture.R(typeEKSComponentNodeGroup, "eks-ng", m{"nodeSubnetIds": l{fixture.ID("private-d")},
			"nodeAssociatePublicIpAddress": false}),
		// Clusters on AKS and GKE (topic: cluster), hardened: private API
		// endpoints, Secrets encrypted with the platform's key service,
		// NetworkPolicies enforced, private nodes, AKS local accounts off.
		fixture.R(tAKS, "aks", m{"resourceGroupName": "pulumi-rg", "dnsPrefix": "pulumi",
			"apiServerAccessProfile": m{"enablePrivateCluster": true, "authorizedIPRanges": l{"10.0.0.0/8"}},
			"securityProfile":        m{"azureKeyVaultKms": m{"enabled": true, "keyId": aksKMSKey}},
			"networkProfile":         m{"networkPlugin": "azure", "networkPolicy": "calico", "networkDataplane": "azure"},
			"disableLocalAccounts":   true, "aadProfile": m{"managed": true, "adminGroupObjectIDs": l{aksAdmins}},
			"agentPoolProfiles": l{m{"name": "system", "mode": "System", "count": 2, "enableNodePublicIP": false,
				"vnetSubnetID": aksSubnet}}}),
		fixture.R(tAgentPool, "aks-user", m{"resourceGroupName": "pulumi-rg", "resourceName": "pulumi-aks",
			"mode": "User", "count": 2, "enableNodePublicIP": false, "vnetSubnetID": aksSubnet}),
		fixture.R(tGKE, "gke", m{"location": "us-central1", "removeDefaultNodePool": true, "initialNodeCount": 1,
			"privateClusterConfig": m{"enablePrivateNodes": true, "enablePrivateEndpoint": true,
				"masterIpv4CidrBlock": "172.16.0.0/28"},
			"masterAuthorizedNetworksConfig": m{"cidrBlocks": l{m{"cidrBlock": "10.0.0.0/8", "displayName": "vpc"}},
				"gcpPublicCidrsAccessEnabled": false},
			"controlPlaneEndpointsConfig": m{"dnsEndpointConfig": m{"allowExternalTraffic": false},
				"ipEndpointsConfig": m{"enabled": true}},
			"databaseEncryption": m{"state": "ENCRYPTED", "keyName": gkeKMSKey},
			"networkPolicy":      m{"enabled": true, "provider": "CALICO"},
			"addonsConfig":       m{"networkPolicyConfig": m{"disabled": false}},
			"nodePools":          l{m{"name": "inline", "networkConfig": m{"enablePrivateNodes": true}}}}),
		fixture.R(tGKE, "gke-auto", m{"location": "us-central1", "enableAutopilot": true,
			"datapathProvider": "ADVANCED_DATAPATH", "privateClusterConfig": m{"enablePrivateNodes": true},
			"controlPlaneEndpointsConfig": m{"ipEndpointsConfig": m{"enabled": false}},
			"databaseEncryption":          m{"state": "ENCRYPTED", "keyName": gkeKMSKey}}),
		fixture.R(tNodePool, "gke-pool", m{"cluster": fixture.ID("gke"), "nodeCount": 2}),
		fixture.R(tNodePool, "gke-pool-own", m{"cluster": fixture.ID("gke"), "networkConfig": m{"enablePrivateNodes": true}}),

		// Databases: an instance with its own parameter and security groups,
		// a replica, a cluster instance, a global cluster.
		fixture.R(typeRDSClusterParameterGroup, "pg", m{"family": "aurora-mysql8.0",
			"parameters": l{m{"name": "require_secure_transport", "value": "ON"}}}),
		fixture.R(typeRDSParameterGroup, "inst-pg", m{"family": "postgres16",
			"parameters": l{m{"name": "log_connections", "value": "1"}, m{"name": "rds.force_ssl", "value": "1"}}}),
		fixture.R(typeRDSInstance, "inst", m{"engine": "postgres", "engineVersion": "16.2", "storageEncrypted": true,
			"kmsKeyId": badKMSKey, "publiclyAccessible": false, "password": fixture.Secret("inst-password-1"), "port": 5432,
			"dbSubnetGroupName": fixture.ID("db-subnets"), "parameterGroupName": fixture.ID("inst-pg"),
			"vpcSecurityGroupIds": l{fixture.ID("inst-sg")}, "tags": m{"Name": "inst"}}),
		fixture.R(typeRDSInstance, "inst-replica", m{"replicateSourceDb": fixture.ID("inst"), "publiclyAccessible": false}),
		fixture.R(typeRDSClusterInstance, "db-1", m{"clusterIdentifier": fixture.ID("db"), "engine": "aurora-mysql",
			"publiclyAccessible": false}),
		fixture.R(typeRDSGlobalCluster, "global", m{"globalClusterIdentifier": "g", "engine": "aurora-mysql",
			"storageEncrypted": true}),

		// Storage: v6 and v7 buckets, inline and separate encryption, and an
		// exempted bucket without any.
		fixture.R(typeS3BucketV2, "bucket", m{}),
		fixture.R(typeS3EncryptionV2, "bucket-sse", m{"bucket": fixture.ID("bucket"), "rules": l{m{
			"applyServerSideEncryptionByDefault": m{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": badKMSKey}}}}),
		fixture.R(typeS3Bucket, "bucket7", m{"tags": m{"Name": "bucket7"}}),
		fixture.R(typeS3Encryption, "bucket7-sse", m{"bucket": fixture.ID("bucket7"), "rule": l{m{
			"applyServerSideEncryptionByDefault": m{"sseAlgorithm": "aws:kms:dsse"}}}}),
		fixture.R(typeS3Bucket, "legacy", m{"serverSideEncryptionConfiguration": m{"rule": m{
			"applyServerSideEncryptionByDefault": m{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": badKMSKey}}}}),
		fixture.R(typeS3BucketV2, "scratch", m{"tags": m{policy.ExemptTag: badExemptScrat}}),

		// store (issues 19 and 20): an Azure Storage account and its
		// container, hardened, and a Cloud Storage bucket with one private
		// grant of each IAM and ACL kind; storeWorld adds the pinned API
		// versions' accounts and containers.
		fixture.R("azure-native:storage:StorageAccount", "azsa", azAccountHardened("pulumistore1")),
		fixture.R("azure-native:storage:BlobContainer", "azsa-checkpoints", m{"resourceGroupName": "pulumi-rg",
			"accountName": "pulumistore1", "publicAccess": "None"}),
		fixture.R("gcp:storage/bucket:Bucket", "gcs", m{"name": "pulumi-checkpoints-bw", "location": "US",
			"uniformBucketLevelAccess": true, "publicAccessPrevention": "enforced",
			"encryption": m{"defaultKmsKeyName": "projects/p/locations/us/keyRings/pulumi/cryptoKeys/storage"},
			"ipFilter": m{"mode": "Enabled", "allowAllServiceAgentAccess": true,
				"vpcNetworkSources": l{m{"network": "projects/p/global/networks/pulumi", "allowedIpCidrRanges": l{"10.0.0.0/16"}}}}}),
		fixture.R("gcp:storage/bucketIAMMember:BucketIAMMember", "gcs-api", m{"bucket": "pulumi-checkpoints-bw",
			"role": "roles/storage.objectAdmin", "member": "serviceAccount:api@p.iam.gserviceaccount.com"}),
		fixture.R("gcp:storage/bucketIAMBinding:BucketIAMBinding", "gcs-readers", m{"bucket": "pulumi-checkpoints-bw",
			"role": "roles/storage.objectViewer", "members": l{"serviceAccount:console@p.iam.gserviceaccount.com"}}),
		fixture.R("gcp:storage/bucketAccessControl:BucketAccessControl", "gcs-ac", m{"bucket": "pulumi-checkpoints-bw",
			"entity": "user-ops@example.com", "role": "READER"}),
		fixture.R("gcp:storage/bucketACL:BucketACL", "gcs-acl", m{"bucket": "pulumi-checkpoints-bw",
			"predefinedAcl": "private", "roleEntities": l{"OWNER:project-owners-123"}}),
		fixture.R("gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl", "gcs-doac", m{
			"bucket": "pulumi-checkpoints-bw", "entity": "project-owners-123", "role": "OWNER"}),
		fixture.R("gcp:storage/defaultObjectACL:DefaultObjectACL", "gcs-doacl", m{"bucket": "pulumi-checkpoints-bw",
			"roleEntities": l{"OWNER:project-owners-123"}}),
		// S3 access (store topic): a public access block and private ACLs.
		fixture.R("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "bucket-pab", m{"bucket": fixture.ID("bucket"),
			"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true}),
		fixture.R("aws:s3/bucketAclV2:BucketAclV2", "bucket-acl", m{"bucket": fixture.ID("bucket"), "acl": "private"}),
		fixture.R("aws:s3/bucketAcl:BucketAcl", "bucket7-acl", m{"bucket": fixture.ID("bucket7"),
			"accessControlPolicy": m{"owner": m{"id": "abc123"}, "grants": l{m{"permission": "FULL_CONTROL",
				"grantee": m{"type": "CanonicalUser", "id": "abc123"}}}}}),

		// Search domains.
		fixture.R(typeOpenSearchDomain, "search", m{"encryptAtRest": m{"enabled": true}, "nodeToNodeEncryption": m{"enabled": true},
			"domainEndpointOptions": m{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
			"vpcOptions":            m{"subnetIds": l{fixture.ID("private-a")}, "securityGroupIds": l{fixture.ID("search-sg")}},
			"advancedSecurityOptions": m{"enabled": true, "masterUserOptions": m{
				"masterUserName": "admin", "masterUserPassword": fixture.Secret("search-master-password")}}}),
		fixture.R(typeElasticsearchDomain, "es", m{"encryptAtRest": m{"enabled": true}, "nodeToNodeEncryption": m{"enabled": true},
			"domainEndpointOptions": m{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
			"vpcOptions":            m{"subnetIds": l{fixture.ID("private-b")}, "securityGroupIds": l{fixture.ID("search-sg")}}}),

		// Secrets.
		fixture.R(typeSecretVersion, "sv", m{"secretString": fixture.Secret("secret-string-value")}),
		fixture.R(typeSecretVersion, "sv-bin", m{"secretBinary": fixture.Secret("c2VjcmV0LWJpbmFyeQ==")}),
		fixture.R(typeSSMParameter, "param", m{"type": "SecureString", "name": "/app/password", "value": fixture.Secret("ssm-value-1")}),
		fixture.R(typeSSMParameter, "param-plain", m{"type": "String", "name": "/app/region", "value": "us-west-2"}),
		fixture.R(typeSSMParameter, "param-list", m{"type": "StringList", "name": "/app/zones", "value": "a,b"}),

		// Kubernetes (the EKS installer): workloads whose secrets come from a
		// Secret, a ConfigMap, and the edge: an ALB Ingress, an nginx Ingress
		// and a LoadBalancer Service.
		apiDeployment(kubeAPI("REGION<cm:region"), kubeMigrations()),
		deployment("pulumi-console", kubeConsole("NODE_EXTRA_CA_CERTS=/etc/ssl/private-ca.pem")),
		fixture.R(tSecret, "app-secrets", m{"metadata": m{"namespace": "pulumi", "name": "app-secrets"},
			"type": "Opaque", "stringData": fixture.Secret(m{"api-tls-key": "-----BEGIN PRIVATE KEY-----",
				"smtp-password": "smtp-pw-1", "recaptcha-secret": "recaptcha-1", "license": "license-1",
				"console-tls-key": "-----BEGIN PRIVATE KEY-----"}), "data": m{"ca.crt": fixture.Secret("LS0tLS1CRUdJTg==")}}),
		configMap("app-config", m{"region": "us-west-2", "LOG_LEVEL": "info"}),
		fixture.R(kube.TypeIngress, "pulumi-alb", m{"metadata": m{"namespace": "pulumi", "name": "pulumi-alb", "annotations": m{
			"alb.ingress.kubernetes.io/scheme":          "internet-facing",
			"alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:us-west-2:123456789012:certificate/abc",
			"alb.ingress.kubernetes.io/listen-ports":    `[{"HTTP": 80}, {"HTTPS": 443}]`,
			"alb.ingress.kubernetes.io/ssl-redirect":    "443",
			"alb.ingress.kubernetes.io/ssl-policy":      "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"alb.ingress.kubernetes.io/inbound-cidrs":   "203.0.113.0/24"}},
			"spec": m{"ingressClassName": "alb", "rules": l{m{"host": "api.example.com"}}}}),
		fixture.R(kube.TypeIngressV1beta1, "pulumi-alb-beta", m{"metadata": m{"namespace": "pulumi", "annotations": m{
			"kubernetes.io/ingress.class":               "alb",
			"alb.ingress.kubernetes.io/scheme":          "internal",
			"alb.ingress.kubernetes.io/listen-ports":    `[{"HTTPS": 443}]`,
			"alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:us-west-2:123456789012:certificate/abc",
			"alb.ingress.kubernetes.io/ssl-policy":      "ELBSecurityPolicy-TLS-1-2-2017-01"}}}),
		fixture.R(kube.TypeIngressExt, "pulumi-nginx-ext", m{"metadata": m{"namespace": "pulumi", "annotations": m{
			"kubernetes.io/ingress.class":                        "nginx",
			"nginx.ingress.kubernetes.io/whitelist-source-range": "203.0.113.0/24"}}, "spec": m{"tls": l{m{"secretName": "app-tls"}}}}),
		fixture.R(kube.TypeIngress, "pulumi-nginx", m{"metadata": m{"namespace": "pulumi", "name": "pulumi-nginx", "annotations": m{
			"nginx.ingress.kubernetes.io/whitelist-source-range": "203.0.113.0/24"}},
			"spec": m{"ingressClassName": "nginx", "tls": l{m{"hosts": l{"app.example.com"}, "secretName": "app-tls"}}}}),
		fixture.R(kube.TypeService, "pulumi-nlb", m{"metadata": m{"namespace": "pulumi", "name": "pulumi-nlb", "annotations": m{
			"service.beta.kubernetes.io/aws-load-balancer-scheme":                 "internal",
			"service.beta.kubernetes.io/aws-load-balancer-ssl-cert":               "arn:aws:acm:us-west-2:123456789012:certificate/abc",
			"service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}},
			"spec": m{"type": "LoadBalancer", "ports": l{m{"port": 443, "targetPort": 8443}},
				"loadBalancerSourceRanges": l{"10.0.0.0/8"}}}),

		// db (issues 19 and 20): an Azure Database for MySQL flexible server
		// with public access behind a narrow firewall rule, a Key Vault key
		// and its TLS parameters set to their safe values; a Cloud SQL
		// instance with a public IP for one authorized network, TLS only,
		// CMEK, and its user.
		fixture.R(tMySQLServer, "az-mysql", m{"serverName": "pulumi-mysql", "resourceGroupName": "rg",
			"administratorLogin": "pulumiadmin", "administratorLoginPassword": fixture.Secret("az-mysql-password-1"),
			"version": "8.0.21", "network": m{"publicNetworkAccess": "Enabled"},
			"dataEncryption": m{"type": "AzureKeyVault", "primaryKeyURI": "https://kv.vault.azure.net/keys/mysql/1",
				"primaryUserAssignedIdentityId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/db"}}),
		fixture.R(tMySQLConfig, "az-mysql-tls", m{"serverName": "pulumi-mysql", "resourceGroupName": "rg",
			"configurationName": "require_secure_transport", "value": "ON", "source": "user-override"}),
		fixture.R(tMySQLConfig, "az-mysql-tls-version", m{"serverName": "pulumi-mysql", "resourceGroupName": "rg",
			"name": "tls_version", "value": "TLSv1.2,TLSv1.3"}),
		fixture.R(tMySQLFirewall, "az-mysql-office", m{"serverName": "pulumi-mysql", "resourceGroupName": "rg",
			"startIpAddress": "203.0.113.10", "endIpAddress": "203.0.113.20"}),
		fixture.R(tSQLInstance, "gcp-sql", m{"name": "pulumi-sql", "databaseVersion": "MYSQL_8_0",
			"encryptionKeyName": "projects/p/locations/us-central1/keyRings/r/cryptoKeys/sql",
			"rootPassword":      fixture.Secret("gcp-sql-root-1"), "settings": m{"tier": "db-custom-2-7680",
				"ipConfiguration": m{"ipv4Enabled": true, "sslMode": "ENCRYPTED_ONLY",
					"authorizedNetworks": l{m{"name": "office", "value": "203.0.113.0/24"}}}}}),
		fixture.R(tSQLUser, "gcp-sql-user", m{"instance": "pulumi-sql", "name": "pulumi",
			"password": fixture.Secret("gcp-sql-user-1")}),
		// Topic net (issues 19 and 20): an Azure network security group with
		// inline rules (Allow from the internet to 443 only, from the
		// virtual network, a Deny, an Outbound rule) and a SecurityRule
		// joined to it by name; a Google Cloud network's firewall rules
		// (from IAP's range, from tags, a deny, an egress rule).
		fixture.R(typeAzureNSG, "az-nsg", m{"resourceGroupName": "pulumi-rg", "networkSecurityGroupName": "app-nsg",
			"location": "westeurope", "securityRules": l{
				m{"name": "https", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
					"sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*",
					"destinationPortRanges": l{"443", "8000-8100"}},
				m{"name": "vnet", "priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "*",
					"sourceAddressPrefixes": l{"10.0.0.0/16", "VirtualNetwork"}, "sourcePortRange": "*",
					"destinationAddressPrefix": "*", "destinationPortRange": "*"},
				m{"name": "deny-ssh", "priority": 300, "direction": "Inbound", "access": "Deny", "protocol": "Tcp",
					"sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
					"destinationPortRange": "22"},
				m{"name": "out", "priority": 100, "direction": "Outbound", "access": "Allow", "protocol": "*",
					"sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
					"destinationPortRange": "*"}}}),
		fixture.R(typeAzureRule, "az-rule", m{"resourceGroupName": "pulumi-rg", "networkSecurityGroupName": "app-nsg",
			"securityRuleName": "mysql", "priority": 400, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
			"sourceAddressPrefix": "10.0.1.0/24", "sourcePortRange": "*", "destinationAddressPrefix": "*",
			"destinationPortRange": "3306", "sourceApplicationSecurityGroups": l{m{"id": "asg-app"}}}),
		fixture.R(typeAzureSubnet, "az-snet", m{"resourceGroupName": "pulumi-rg", "virtualNetworkName": "pulumi-vnet",
			"addressPrefix": "10.2.1.0/24", "networkSecurityGroup": m{"id": fixture.ID("az-nsg")}}),
		fixture.R(typeGCPNetwork, "gcp-vpc", m{"autoCreateSubnetworks": true, "routingMode": "REGIONAL"}),
		fixture.R(typeGCPFirewall, "gcp-iap", m{"network": fixture.ID("gcp-vpc"), "direction": "INGRESS", "priority": 1000,
			"disabled": false, "allows": l{m{"protocol": "tcp", "ports": l{"22", "3389"}}},
			"sourceRanges": l{"35.235.240.0/20"}, "targetTags": l{"bastion"}}),
		fixture.R(typeGCPFirewall, "gcp-internal", m{"network": fixture.ID("gcp-vpc"),
			"allows":     l{m{"protocol": "tcp", "ports": l{"0-65535"}}, m{"protocol": "icmp"}},
			"sourceTags": l{"app"}, "targetServiceAccounts": l{"db@project.iam.gserviceaccount.com"}}),
		fixture.R(typeGCPFirewall, "gcp-deny", m{"network": fixture.ID("gcp-vpc"), "priority": 65000,
			"denies": l{m{"protocol": "all"}}, "sourceRanges": l{"0.0.0.0/0", "::/0"}}),
		fixture.R(typeGCPFirewall, "gcp-egress", m{"network": "default", "direction": "EGRESS",
			"allows": l{m{"protocol": "tcp", "ports": l{"443"}}}, "destinationRanges": l{"0.0.0.0/0"}}),
		// edge (issues 19, 20, 21): ingress-nginx installed by Helm, hardened:
		// a patched chart whose controller Service admits the allowlist, an
		// internal Azure load balancer, a GKE-internal one, and the charts a
		// program renders (v3 and v4), with a patched controller image.
		fixture.R(kube.TypeHelmRelease, "ingress-release", m{"chart": "ingress-nginx", "version": "4.12.1",
			"repositoryOpts": m{"repo": "https://kubernetes.github.io/ingress-nginx"}, "namespace": "ingress",
			"values": m{"controller": m{"replicaCount": 1, "service": m{"externalTrafficPolicy": "Local",
				"loadBalancerSourceRanges": l{"203.0.113.0/24"},
				"annotations":              m{"service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz"}},
				"config": m{"whitelist-source-range": "203.0.113.0/24", "allow-snippet-annotations": "false"}}}}),
		fixture.R(kube.TypeHelmChart, "ingress-chart", m{"chart": "ingress-nginx", "version": "4.12.1",
			"fetchOpts": m{"repo": "https://kubernetes.github.io/ingress-nginx"}, "namespace": "ingress",
			"values": m{"controller": m{"service": m{"annotations": m{kube.GKEType: "Internal"}}}}}),
		fixture.R(kube.TypeHelmChartV4, "ingress-chart-v4", m{"chart": "oci://registry.example.com/charts/ingress-nginx",
			"version": "4.11.5", "namespace": "ingress",
			"values": m{"controller": m{"service": m{"annotations": m{kube.AzureInternal: "true"}}}}}),
		fixture.R(kube.TypeService, "ingress-internal-lb", m{"metadata": m{"namespace": "ingress", "name": "ingress-internal-lb",
			"labels":      m{"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"},
			"annotations": m{kube.AzureInternal: "true", kube.GKELegacyType: "Internal"}},
			"spec": m{"type": "LoadBalancer", "ports": l{m{"port": 443, "targetPort": "https"}}}}),
		fixture.R(tDeployment, "ingress-controller", m{"metadata": m{"namespace": "ingress", "name": "ingress-controller",
			"labels": m{"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}},
			"spec": m{"selector": m{"matchLabels": m{"app.kubernetes.io/name": "ingress-nginx"}},
				"template": m{"metadata": m{"labels": m{"app.kubernetes.io/name": "ingress-nginx"}},
					"spec": m{"containers": l{m{"name": "controller",
						"image": "registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:d2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b"}}}}}}),
		// secrets: generated keys kept secret (a RandomString marked secret
		// with additionalSecretOutputs, a RandomPassword, a RandomId into a
		// plain name), the GKE installer's mounted local keys, and ECS
		// secrets read from a SecureString parameter by name and by ARN and
		// from a String parameter for a setting that is no secret.
		fixture.R(generated.TypeRandomString, "bw-keys", m{"length": 32, "special": false, "upper": true,
			"minNumeric": 2, "overrideSpecial": "_-", "keepers": m{"rotation": "2026"}}).
			SecretOutputs("result").Output("result", fixture.Secret("bw-Generated-key-1")),
		fixture.R(generated.TypeRandomPassword, "bw-pw", m{"length": 24}).SecretOutputs("bcryptHash", "result").
			Output("result", fixture.Secret("bw-Generated-pw-2")),
		fixture.R(generated.TypeRandomID, "bw-suffix", m{"byteLength": 4, "prefix": "pulumi-"}).Output("hex", "bw1d2e3f"),
		fixture.R(tSecret, "bw-local-keys", m{"metadata": m{"namespace": "pulumi", "name": "pulumilocalkeys"},
			"stringData": m{"pulumilocalkeys": fixture.OutputOf("bw-keys", "result"),
				"adminPassword": fixture.OutputOf("bw-pw", "result")}}),
		configMap("bw-release", m{"RELEASE_NAME": fixture.OutputOf("bw-suffix", "hex")}),
		podSpecAt(tDeployment, "bw-keys-reader", m{
			"volumes": l{m{"name": "keys", "secret": m{"secretName": "pulumilocalkeys"}}},
			"containers": l{m{"name": "relay", "image": "registry.example.com/relay:1",
				"env":          l{m{"name": "PULUMI_LOCAL_KEYS", "value": "/keys/pulumilocalkeys"}},
				"volumeMounts": l{m{"name": "keys", "mountPath": "/keys", "readOnly": true}}}}}),
		fixture.R(taskdef.Type, "bw-td", m{"containerDefinitions": defsJSON(l{m{"name": "relay",
			"image": "registry.example.com/relay:1", "secrets": l{
				m{"name": "DATABASE_PASSWORD", "valueFrom": "/app/password"},
				m{"name": "SIGNING_KEY", "valueFrom": "arn:aws:ssm:us-west-2:123456789012:parameter/app/password"},
				m{"name": "AWS_REGION", "valueFrom": "/app/region"},
				m{"name": "API_KEY", "valueFrom": "arn:aws:ssm:us-west-2:123456789012:parameter/elsewhere"}}}})}),
	)
	for _, r := range rs {
		switch r.Name {
		case "db":
			r.Inputs["dbClusterParameterGroupName"] = fixture.ID("pg")
			r.Inputs["masterPassword"] = fixture.Secret("cluster-master-password")
			r.Inputs["kmsKeyId"] = badKMSKey
			r.Inputs["engineMode"] = "provisioned"
			r.Inputs["port"] = 3306
		case "vpc":
			r.Inputs["ipv6CidrBlock"] = "2600:1f14:abc:de00::/56"
		case "app-sg":
			r.Inputs["egress"] = l{m{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/0"},
				"ipv6CidrBlocks": l{"::/0"}}}
		case "db-sg":
			r.Inputs["egress"] = l{m{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": l{"10.0.0.0/16"}}}
		}
	}
	return append(rs, storeWorld()...)
}

// storeWorld is the store topic's accounts and containers of each API
// version azure-native v2 pins (adapters/azure), hardened.
func storeWorld() []*fixture.Res {
	var out []*fixture.Res
	for _, v := range []string{"v20220901", "v20230101", "v20230401", "v20230501", "v20240101"} {
		name := "azsa" + v
		out = append(out, fixture.R("azure-native:storage/"+v+":StorageAccount", name, azAccountHardened(name)),
			fixture.R("azure-native:storage/"+v+":BlobContainer", name+"-policypacks", m{
				"resourceGroupName": "pulumi-rg", "accountName": name}))
	}
	return out
}

// azAccountHardened is a storage account's inputs with every setting the
// policies judge hardened.
func azAccountHardened(name string) m {
	return m{"accountName": name, "resourceGroupName": "pulumi-rg", "kind": "StorageV2",
		"sku": m{"name": "Standard_ZRS"}, "allowBlobPublicAccess": false, "enableHttpsTrafficOnly": true,
		"minimumTlsVersion": "TLS1_2", "publicNetworkAccess": "Enabled",
		"networkRuleSet": m{"defaultAction": "Deny", "bypass": "AzureServices",
			"ipRules": l{m{"iPAddressOrRange": "203.0.113.0/24", "action": "Allow"}}},
		"encryption": m{"keySource": "Microsoft.Keyvault", "requireInfrastructureEncryption": true,
			"keyVaultProperties": m{"keyVaultUri": "https://pulumi-kv.vault.azure.net", "keyName": "storage"}}}
}

// badConfig configures the pack so that the policies read all they can:
// the options that make a policy look further (customer-managed keys,
// SSE-KMS, a private CA) are on.
func badConfig(t testing.TB, pack *policy.Pack) policy.Configuration {
	t.Helper()
	cfg, err := pack.Configure(map[string]policy.RawConfig{
		"load-balancer-ingress-allowlist": {Properties: m{"ingressAllowList": l{"203.0.113.0/24"}}},
		"rds-storage-encrypted":           {Properties: m{"requireCustomerManagedKey": true}},
		"s3-bucket-encrypted":             {Properties: m{"requireKms": true, "requireInfrastructureEncryption": true}},
		"object-store-not-public":         {Properties: m{"requirePublicAccessPrevention": true, "requireFirewall": true}},
		"console-tls":                     {Properties: m{"apiUsesPrivateCa": true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// paths lists every place in a literal: object keys and array items, at
// every depth.
func paths(x any, at []any) [][]any {
	var out [][]any
	switch t := x.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := append(append([]any(nil), at...), k)
			out = append(out, p)
			out = append(out, paths(t[k], p)...)
		}
	case []any:
		for i, it := range t {
			p := append(append([]any(nil), at...), i)
			out = append(out, p)
			out = append(out, paths(it, p)...)
		}
	}
	return out
}

// put returns a deep copy of x with the value at path set to v, creating
// the path where x lacks it: a missing key is added, an index past the end
// grows the array, and a value of the wrong shape on the way is replaced
// by an object or array.
func put(x any, path []any, v any) any {
	if len(path) == 0 {
		return v
	}
	switch seg := path[0].(type) {
	case string:
		t, _ := x.(map[string]any)
		c := make(map[string]any, len(t)+1)
		for k, it := range t {
			c[k] = it
		}
		c[seg] = put(t[seg], path[1:], v)
		return c
	case int:
		t, _ := x.([]any)
		c := append([]any(nil), t...)
		for len(c) <= seg {
			c = append(c, nil)
		}
		c[seg] = put(c[seg], path[1:], v)
		return c
	}
	panic(fmt.Sprintf("bad path segment %v", path[0]))
}

// has reports how many leading segments of path exist in x.
func has(x any, path []any) int {
	for i, seg := range path {
		switch s := seg.(type) {
		case string:
			t, ok := x.(map[string]any)
			if !ok {
				return i
			}
			if x, ok = t[s]; !ok {
				return i
			}
		case int:
			t, ok := x.([]any)
			if !ok || s >= len(t) {
				return i
			}
			x = t[s]
		}
	}
	return len(path)
}

// get returns the value at path in x, or nil.
func get(x any, path []any) any {
	for _, seg := range path {
		switch s := seg.(type) {
		case string:
			t, _ := x.(map[string]any)
			x = t[s]
		case int:
			t, _ := x.([]any)
			if s >= len(t) {
				return nil
			}
			x = t[s]
		}
	}
	if id, ok := x.(fixture.IDRef); ok {
		return id.Name + "-id"
	}
	return x
}

// propsPath turns a literal's path into a props.Path.
func propsPath(p []any) props.Path {
	out := make(props.Path, len(p))
	for i, seg := range p {
		switch s := seg.(type) {
		case string:
			out[i] = props.Segment{Key: s}
		case int:
			out[i] = props.Segment{Index: s, IsIndex: true}
		}
	}
	return out
}

// concrete turns a normalised path (ingress[*].cidrBlocks[*]) into one a
// fixture can hold, with each [*] the first item.
func concrete(norm string) ([]any, error) {
	p, err := props.ParsePath(strings.ReplaceAll(norm, "[*]", "[0]"))
	if err != nil {
		return nil, err
	}
	if got := policy.NormalisePath(p); got != norm {
		return nil, fmt.Errorf("path %s reads back as %s", norm, got)
	}
	out := make([]any, len(p))
	for i, seg := range p {
		if seg.IsIndex {
			out[i] = seg.Index
		} else {
			out[i] = seg.Key
		}
	}
	return out, nil
}

type badValue struct {
	name string
	v    any
	// unknown: the value is an unknown, which must not give a mandatory
	// finding the world without it did not have. (Junk that holds an
	// unknown is of the wrong shape where a string is read: it may.)
	unknown bool
	// short: also used inside containerDefinitions; tiny: also at places
	// the trace did not see read and at reads a mutation revealed, where
	// the full list would cost too much.
	short, tiny bool
	// only: put only where the world has a value of this kind, or none
	// (malformed text where text is read, odd numbers where numbers are).
	only props.Kind
}

// badSecret is in every secret bad value: no message may show it.
const badSecret = "BAD-INPUT-SECRET-0x51"

var badValues = []badValue{
	{name: "unknown", v: fixture.Unknown, unknown: true, short: true, tiny: true},
	{name: "null", v: nil, short: true, tiny: true},
	{name: "empty string", v: ""},
	{name: "huge string", v: strings.Repeat("A", 16<<10)},
	{name: "control characters", v: "\x00\x1b[31m\u202e", only: props.String},
	{name: "number", v: 7, short: true, tiny: true},
	{name: "huge number", v: 1e300, only: props.Number},
	{name: "bool", v: true},
	{name: "object", v: m{"x": l{1}, "": nil}, short: true},
	{name: "empty array", v: l{}},
	{name: "array", v: l{"a", 2, nil}, short: true},
	{name: "nested junk", v: l{l{m{"a": l{m{}, fixture.Secret(3)}}}, nil, fixture.Unknown, m{"b": l{nil}}}, short: true},
	{name: "invalid json", v: "{[\"unterminated", only: props.String},
	{name: "json of the wrong shape", v: `[{"name": 1, "image": {}, "environment": "x", "secrets": [null, 2]}, 3]`, only: props.String},
	{name: "malformed cidr", v: "10.0.0.300/33", only: props.String},
	{name: "secret", v: fixture.Secret(badSecret), short: true, tiny: true},
	{name: "secret json", v: fixture.Secret(`[{"name":"api","image":"pulumi/service","environment":[{"name":"X_PASSWORD",` +
		`"value":"` + badSecret + `"}]}]`), only: props.String},
	{name: "secret number", v: fixture.Secret(7)},
	{name: "secret object", v: fixture.Secret(m{"name": badSecret, "value": badSecret})},
	{name: "array with a secret", v: l{fixture.Secret(badSecret), "x"}},
	{name: "secret unknown", v: props.Secret(props.NewUnknown()), unknown: true, short: true},
}

// A mutation puts a bad value at a path of one resource of the world.
type mutation struct {
	res  int
	path []any
	v    any
}

func (mu mutation) apply(world []*fixture.Res) []*fixture.Res {
	out := append([]*fixture.Res(nil), world...)
	c := *out[mu.res]
	c.Inputs = put(c.Inputs, mu.path, mu.v).(map[string]any)
	out[mu.res] = &c
	return out
}

type readPair struct{ typ, path string }

func (p readPair) String() string { return p.typ + " " + p.path }

// verdicts are what a world gives in one mode: its mandatory findings (by
// policy and URN) and the messages of all.
type verdicts struct {
	mandatory map[string]bool
	messages  map[string]bool
}

// badSuite runs the pack over mutations of the world and checks each run.
type badSuite struct {
	t     *testing.T
	pack  *policy.Pack
	cfg   policy.Configuration
	world []*fixture.Res
	// built is the world as the server hands it over, per mode; a run
	// rebuilds only the resources a mutation changed.
	built    map[fixture.Mode][]*graph.Resource
	analyzed map[fixture.Mode][][]policy.Finding
	secrets  map[fixture.Mode][]string
	public   map[string]bool
	// base holds the verdicts of the world, and of the world under each
	// mutation that revealed a read, by mode.
	base map[string]map[fixture.Mode]verdicts
	// reads collects what the policies read, in the world and under one
	// mutation; reveal holds, for a pair first read under a mutation, that
	// mutation.
	reads   map[readPair]bool
	reveal  map[readPair]mutation
	current *mutation
	runs    int
}

func newBadSuite(t *testing.T) *badSuite {
	pack := Pack()
	s := &badSuite{t: t, pack: pack, cfg: badConfig(t, pack), world: badWorld(),
		built: map[fixture.Mode][]*graph.Resource{}, analyzed: map[fixture.Mode][][]policy.Finding{}, secrets: map[fixture.Mode][]string{}, public: map[string]bool{},
		base: map[string]map[fixture.Mode]verdicts{}, reads: map[readPair]bool{}, reveal: map[readPair]mutation{}}
	for _, mode := range fixture.Modes {
		s.built[mode] = fixture.Build(t, mode, s.world...)
		for _, r := range s.built[mode] {
			s.secrets[mode] = append(s.secrets[mode], fixture.SecretStrings(r.Props)...)
			s.secrets[mode] = append(s.secrets[mode], fixture.SecretStrings(r.Outputs)...)
		}
	}
	return s
}

// run analyses the world with the mutations in one mode, as the server
// would (Analyze on each resource, AnalyzeStack on all), and fails the
// test when a message holds a secret value (fixture.NoSecrets, with the
// pack's IsPublic memoized).
func (s *badSuite) run(mode fixture.Mode, muts ...mutation) []policy.Finding {
	s.runs++
	rs := s.built[mode]
	secrets := s.secrets[mode]
	changed := map[int]bool{}
	if len(muts) > 0 {
		world := s.world
		for _, mu := range muts {
			world = mu.apply(world)
		}
		rs = append([]*graph.Resource(nil), rs...)
		for _, mu := range muts {
			if changed[mu.res] {
				continue
			}
			changed[mu.res] = true
			r := s.rebuild(mode, world, mu.res)
			rs[mu.res] = r
			secrets = append(append(secrets[:len(secrets):len(secrets)], fixture.SecretStrings(r.Props)...),
				fixture.SecretStrings(r.Outputs)...)
		}
	}
	env := &policy.Env{DryRun: mode == fixture.Preview}
	// Resource policies see one resource: those the mutations left alone
	// answer as in the world (checked when the world ran).
	if s.analyzed[mode] == nil {
		s.analyzed[mode] = make([][]policy.Finding, len(rs))
		for i, r := range s.built[mode] {
			s.analyzed[mode][i] = s.pack.Analyze(env, s.cfg, r)
		}
		s.checkSecrets(mode, env, secrets, slices.Concat(s.analyzed[mode]...))
	}
	var out, fresh []policy.Finding
	for i, r := range rs {
		if changed[i] {
			fs := s.pack.Analyze(env, s.cfg, r)
			fresh = append(fresh, fs...)
			out = append(out, fs...)
			continue
		}
		out = append(out, s.analyzed[mode][i]...)
	}
	stack := s.pack.AnalyzeStack(env, s.cfg, graph.New(rs))
	s.checkSecrets(mode, env, secrets, append(fresh, stack...))
	return append(out, stack...)
}

// checkSecrets fails the test when a finding holds a secret that is not
// public text (fixture.NoSecrets, with IsPublic memoized).
func (s *badSuite) checkSecrets(mode fixture.Mode, env *policy.Env, secrets []string, fs []policy.Finding) {
	for _, f := range fs {
		text := f.Message + f.What + f.Fix + f.Exempted
		for _, sec := range secrets {
			public, ok := s.public[sec]
			if !ok {
				public = s.pack.IsPublic(env, sec)
				s.public[sec] = public
			}
			if !public && strings.Contains(text, sec) {
				s.t.Errorf("%s: finding of %s on %s leaks secret %q: %s", mode, f.Policy.Name, f.URN(), sec, f.Message)
			}
		}
	}
}

// rebuild builds resource i of world as fixture.Build builds it with the
// whole world (the resources its ids and outputs name are all it needs).
func (s *badSuite) rebuild(mode fixture.Mode, world []*fixture.Res, i int) *graph.Resource {
	byName := map[string]*fixture.Res{}
	for _, r := range world {
		byName[r.Name] = r
	}
	subset := []*fixture.Res{world[i]}
	seen := map[string]bool{world[i].Name: true}
	// The resources it names need only their type, name and outputs.
	named := func(name string) {
		if r := byName[name]; r != nil && !seen[name] {
			seen[name] = true
			c := *r
			c.Inputs = map[string]any{}
			subset = append(subset, &c)
		}
	}
	var walk func(x any)
	walk = func(x any) {
		switch t := x.(type) {
		case fixture.IDRef:
			named(t.Name)
		case fixture.OutputRef:
			named(t.Name)
		case map[string]any:
			for _, it := range t {
				walk(it)
			}
		case []any:
			for _, it := range t {
				walk(it)
			}
		}
	}
	walk(world[i].Inputs)
	return fixture.Build(s.t, mode, subset...)[0]
}

// verdictsOf runs the world under the mutations (none: the world itself)
// in both modes, once per key.
func (s *badSuite) verdictsOf(key string, muts ...mutation) map[fixture.Mode]verdicts {
	if v, ok := s.base[key]; ok {
		return v
	}
	out := map[fixture.Mode]verdicts{}
	for _, mode := range fixture.Modes {
		v := verdicts{map[string]bool{}, map[string]bool{}}
		for _, f := range s.run(mode, muts...) {
			v.messages[f.Message] = true
			if f.Level == policy.Mandatory {
				v.mandatory[f.Policy.Name+" "+f.URN()] = true
			}
		}
		out[mode] = v
	}
	s.base[key] = out
	return out
}

// trace starts collecting reads.
func (s *badSuite) trace() (stop func()) {
	return policy.TraceReads(func(typ, path string) {
		p := readPair{typ, path}
		if !s.reads[p] {
			s.reads[p] = true
			if s.current != nil {
				s.reveal[p] = *s.current
			}
		}
	})
}

// check runs the world with mu (on top of base, when a mutation revealed
// the read mu mutates) in both modes and checks the findings: no policy
// panics, every finding names its resource, a new finding whose text (not
// its remediation) mentions the mutated path names the mutated resource, an unknown gives no
// mandatory finding the world without it did not have, and no secret
// shows.
func (s *badSuite) check(b badValue, base *mutation, mu mutation) {
	muts := []mutation{mu}
	before := s.verdictsOf("")
	if base != nil {
		muts = []mutation{*base, mu}
		before = s.verdictsOf(fmt.Sprintf("%d %v %#v", base.res, base.path, base.v), *base)
	} else {
		s.current = &mu
		defer func() { s.current = nil }()
	}
	target := s.world[mu.res]
	targetLabel := fmt.Sprintf("%s %q", target.Type, target.Name)
	targetURN := fixture.URN(target.Type, target.Name)
	mentioned := propsPath(mu.path).String()
	for _, mode := range fixture.Modes {
		where := fmt.Sprintf("%s: %s %s = %s", mode, target.Name, mentioned, b.name)
		if base != nil {
			where += fmt.Sprintf(" (after %s %s = %v)", s.world[base.res].Name, propsPath(base.path), base.v)
		}
		for _, f := range s.run(mode, muts...) {
			fresh := !before[mode].messages[f.Message]
			switch {
			case f.Kind == policy.PolicyError:
				s.t.Errorf("%s: a policy panicked: %s", where, f.Message)
			case f.Message == "" || (f.Resource != nil && !strings.Contains(f.Message, f.Resource.Label())):
				s.t.Errorf("%s: the finding does not name its resource: %q", where, f.Message)
			case fresh && distinctive(mentioned) && mentions(f.What, mentioned) && (f.Resource == nil || f.Resource.URN != targetURN) &&
				!strings.Contains(f.Message, targetLabel) && !strings.Contains(f.Message, fmt.Sprintf("%q", target.Name)):
				s.t.Errorf("%s: a finding mentions %s but not the resource %s: %s", where, mentioned, target.Name, f.Message)
			case b.unknown && f.Level == policy.Mandatory && !before[mode].mandatory[f.Policy.Name+" "+f.URN()]:
				s.t.Errorf("%s: an unknown value gave a mandatory finding: %s", where, f.Message)
			case strings.Contains(f.Message+f.What+f.Fix+f.Exempted, "BAD-INPUT-SECRET"):
				s.t.Errorf("%s: a finding shows the secret: %s", where, f.Message)
			}
		}
	}
}

// mentions reports whether msg names path p: not as the tail of a longer
// path (networkConfiguration.subnets for subnets) or a longer word.
func mentions(msg, p string) bool {
	for i := 0; ; {
		j := strings.Index(msg[i:], p)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(p)
		before := j == 0 || !isPathChar(msg[j-1]) && msg[j-1] != '.' && msg[j-1] != ']'
		after := end == len(msg) || !isPathChar(msg[end])
		if before && after {
			return true
		}
		i = j + 1
	}
}

// distinctive reports whether a path is unlike ordinary words ("bucket",
// "rules", "name" are not), so that a message naming it names the path.
func distinctive(p string) bool {
	return strings.ContainsAny(p, ".[ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

func isPathChar(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// target picks the resource of the world, among those of type typ, that
// holds most of path (the first such).
func target(world []*fixture.Res, typ string, path []any) (int, bool) {
	best, depth := -1, -1
	for i, r := range world {
		if r.Type != typ {
			continue
		}
		if d := has(r.Inputs, path); d > depth {
			best, depth = i, d
		}
	}
	return best, best >= 0
}

// TestBadInput derives where to put bad values from what the policies read.
// It runs the whole pack over badWorld under a read trace (policy.TraceReads)
// and then puts every bad value at every (resource type, property path)
// read, on a resource of that type (creating the path where the world lacks
// it), in both modes. Reads the trace cannot see (references that graph.Refs
// follows, the exemption tag, awsnet's joins) are covered by also mutating
// every property the world declares that the trace did not report read,
// with the tiny list of bad values (unknown, null, a number, a secret);
// containerDefinitions documents at every place of each container, with the
// short list. Reads that first happen under one of those mutations (a branch
// the hardened world does not take: snapshotIdentifier once storageEncrypted
// is not true, a block given as an object instead of a list) are mutated
// too, on top of the mutation that revealed them, with the tiny list.
//
// Every run must: not panic, answer, name the resource of every finding,
// name the mutated resource in any new finding that mentions the mutated
// path, show no secret, and, for an unknown, give no mandatory finding the
// world without it did not have. TestBadInput/coverage fails when a pair
// the pack was seen to read was never mutated.
func TestBadInput(t *testing.T) {
	start := time.Now()
	s := newBadSuite(t)
	stop := s.trace()
	defer func() { stop() }()
	for mode, v := range s.verdictsOf("") {
		for f := range v.mandatory {
			t.Errorf("%s: the hardened world has a mandatory finding: %s", mode, f)
		}
	}
	baseline := len(s.reads)
	if baseline == 0 {
		t.Fatal("the read trace saw no reads")
	}

	mutated := map[readPair]bool{}
	mutations := 0
	mutate := func(p readPair, base *mutation, tiny bool) {
		mutated[p] = true
		path, err := concrete(p.path)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return
		}
		world := s.world
		if base != nil {
			world = base.apply(world)
		}
		i, ok := target(world, p.typ, path)
		if !ok {
			t.Errorf("%s: the world has no resource of the type", p)
			return
		}
		have := props.FromGo(get(world[i].Inputs, path)).Kind()
		for _, b := range badValues {
			if tiny && !b.tiny || b.only != props.Null && have != props.Null && have != b.only {
				continue
			}
			mutations++
			s.check(b, base, mutation{i, path, b.v})
		}
	}
	unmutated := func() []readPair {
		var out []readPair
		for p := range s.reads {
			if !mutated[p] {
				out = append(out, p)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
		return out
	}

	// What the hardened world reads, with every bad value.
	for _, p := range unmutated() {
		mutate(p, nil, false)
	}
	// Properties the world declares that the trace did not see read, once
	// per type and place.
	literal := 0
	for i, r := range s.world {
		for _, p := range paths(r.Inputs, nil) {
			pair := readPair{r.Type, policy.NormalisePath(propsPath(p))}
			if mutated[pair] || s.reads[pair] {
				continue
			}
			mutated[pair] = true
			literal++
			for _, b := range badValues {
				if b.tiny {
					mutations++
					s.check(b, nil, mutation{i, p, b.v})
				}
			}
		}
	}
	// Inside containerDefinitions: every place of each container.
	docPaths := 0
	for i, r := range s.world {
		if r.Type != taskdef.Type {
			continue
		}
		defs := badDefs()
		seen := map[string]bool{}
		for _, p := range paths(defs, nil) {
			key := fmt.Sprint(p[0]) + policy.NormalisePath(propsPath(p[1:]))
			if seen[key] {
				continue
			}
			seen[key] = true
			docPaths++
			for _, b := range badValues {
				if !b.short && b.name != "huge string" && b.name != "secret object" {
					continue
				}
				mutations++
				var doc any = put(defs, p, b.v)
				if !hasValue(doc) {
					doc = defsJSON(doc)
				}
				s.check(b, nil, mutation{i, append([]any{"containerDefinitions"}, p...), doc})
			}
		}
	}
	stop()
	// Reads revealed by one mutation, on top of it. (Reads these runs
	// reveal in turn are not traced.)
	revealed := unmutated()
	for _, p := range revealed {
		base := s.reveal[p]
		mutate(p, &base, true)
	}

	t.Run("coverage", func(t *testing.T) {
		if missing := unmutated(); len(missing) > 0 {
			var list []string
			for _, p := range missing {
				list = append(list, p.String())
			}
			t.Errorf("%d of %d (type, path) pairs the pack reads were never mutated:\n  %s", len(missing),
				len(s.reads), strings.Join(list, "\n  "))
		}
	})
	covered := 0
	for p := range s.reads {
		if mutated[p] {
			covered++
		}
	}
	t.Logf("%d (type, path) pairs read through a Reader (%d by the hardened world, %d more under one mutation); "+
		"%d of them mutated (%.0f%%); also %d declared places the trace did not see read and %d places inside "+
		"containerDefinitions; %d mutations, %d pack runs, %s",
		len(s.reads), baseline, len(revealed), covered, 100*float64(covered)/float64(len(s.reads)), literal, docPaths,
		mutations, s.runs, time.Since(start).Round(time.Millisecond))
}

// hasValue reports whether a literal holds a props.Value (an unknown or a
// secret), which JSON cannot carry: such a document goes in structured.
func hasValue(x any) bool {
	switch t := x.(type) {
	case props.Value:
		return true
	case map[string]any:
		for _, it := range t {
			if hasValue(it) {
				return true
			}
		}
	case []any:
		for _, it := range t {
			if hasValue(it) {
				return true
			}
		}
	}
	return false
}

// TestBadInputWorld checks that the bad-input world holds a resource of
// every type a policy lists and of every type in badWorldTypes, and that the
// read trace sees the pack read each of those (a type nothing reads is
// logged: a policy for it may be on its way).
func TestBadInputWorld(t *testing.T) {
	world := badWorld()
	in := map[string]bool{}
	names := map[string]bool{}
	for _, r := range world {
		in[r.Type] = true
		if names[r.Name] {
			t.Errorf("two resources are named %s", r.Name)
		}
		names[r.Name] = true
	}
	want := append(append([]string(nil), badWorldTypes...), AdapterTypes()...)
	for _, p := range All() {
		want = append(want, p.Types...)
	}
	for _, typ := range want {
		if !in[typ] {
			t.Errorf("badWorld has no resource of type %s", typ)
		}
	}
	pack := Pack()
	read := map[string]map[string]bool{}
	stop := policy.TraceReads(func(typ, path string) {
		if read[typ] == nil {
			read[typ] = map[string]bool{}
		}
		read[typ][path] = true
	})
	for _, mode := range fixture.Modes {
		fixture.AnalyzeAll(t, pack, badConfig(t, pack), &policy.Env{}, mode, world...)
	}
	stop()
	if !read[tSG]["ingress[*].cidrBlocks[*]"] || !read[tSubnet]["mapPublicIpOnLaunch"] {
		t.Errorf("the read trace misses reads every run makes: %v", read[tSG])
	}
	var unread []string
	for _, typ := range badWorldTypes {
		if len(read[typ]) == 0 {
			unread = append(unread, typ)
		}
	}
	if len(unread) > 0 {
		t.Logf("no policy reads a property of %s through a Reader", strings.Join(unread, ", "))
	}
}
