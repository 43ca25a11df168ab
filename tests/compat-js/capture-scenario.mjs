// The calls both capture scripts make (the boto3 one reads this list as JSON through `node -e`), in an order the
// replay test can run against DSQL Local: create, read, change, then delete.
const cluster = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
const stream = "bbbbbbbbbbbbbbbbbbbbbbbbbb";
const arn = `arn:aws:dsql:us-east-1:123456789012:cluster/${cluster}`;
const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "dsql:GetCluster", Resource: "*" }] });

export const scenario = [
  { operation: "CreateCluster", input: { deletionProtectionEnabled: false, tags: { team: "data" }, clientToken: "replay-create-1" } },
  { operation: "GetCluster", input: { identifier: cluster } },
  { operation: "ListClusters", input: { maxResults: 5 } },
  { operation: "UpdateCluster", input: { identifier: cluster, deletionProtectionEnabled: false, clientToken: "replay-update-1" } },
  { operation: "TagResource", input: { resourceArn: arn, tags: { env: "test" } } },
  { operation: "ListTagsForResource", input: { resourceArn: arn } },
  { operation: "UntagResource", input: { resourceArn: arn, tagKeys: ["env"] } },
  { operation: "PutClusterPolicy", input: { identifier: cluster, policy, clientToken: "replay-put-policy-1" } },
  { operation: "GetClusterPolicy", input: { identifier: cluster } },
  { operation: "DeleteClusterPolicy", input: { identifier: cluster, clientToken: "replay-delete-policy-1" } },
  {
    operation: "CreateStream",
    input: {
      clusterIdentifier: cluster,
      targetDefinition: { kinesis: { streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s", roleArn: "arn:aws:iam::123456789012:role/r" } },
      ordering: "UNORDERED",
      format: "JSON",
      clientToken: "replay-create-stream-1",
    },
  },
  { operation: "GetStream", input: { clusterIdentifier: cluster, streamIdentifier: stream } },
  { operation: "ListStreams", input: { clusterIdentifier: cluster, maxResults: 5 } },
  { operation: "DeleteStream", input: { clusterIdentifier: cluster, streamIdentifier: stream, clientToken: "replay-delete-stream-1" } },
  { operation: "GetVpcEndpointServiceName", input: { identifier: cluster } },
  { operation: "DeleteCluster", input: { identifier: cluster, clientToken: "replay-delete-1" } },
];
