"""The seed's DSQL flows with boto3 against DSQL Local (run by RealClientTests).

Usage: python3 boto3_flow.py <endpoint-url>. Credentials, AWS_DATA_PATH (botocore's DSQL model) and the Region
come from the environment the test sets. The endpoint is passed explicitly because botocore before 1.31 ignores
AWS_ENDPOINT_URL_DSQL. Prints one line per check; exits 1 on the first failure.
"""
import sys

import boto3
import botocore

endpoint = sys.argv[1]


def client(region):
    return boto3.client("dsql", region_name=region, endpoint_url=endpoint)


def check(condition, what):
    if not condition:
        print("FAIL " + what)
        sys.exit(1)
    print("ok " + what)


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error.response
    return None


east1, east2 = client("us-east-1"), client("us-east-2")
fast = {"Delay": 1, "MaxAttempts": 30}

# A multi-Region pair: witness only (PENDING_SETUP, own ARN), the peer listing it, then the back-link.
a = east1.create_cluster(multiRegionProperties={"witnessRegion": "us-west-2"}, deletionProtectionEnabled=False, tags={"Name": "orders"})
check(a["status"] == "PENDING_SETUP", "witness-only create is PENDING_SETUP")
check(a["multiRegionProperties"]["clusters"] == [a["arn"]], "create lists the cluster's own ARN")
b = east2.create_cluster(multiRegionProperties={"witnessRegion": "us-west-2", "clusters": [a["arn"]]}, deletionProtectionEnabled=False)
check(set(b["multiRegionProperties"]["clusters"]) == {a["arn"], b["arn"]}, "peer create lists both ARNs")
link = east1.update_cluster(identifier=a["identifier"], multiRegionProperties={"witnessRegion": "us-west-2", "clusters": [b["arn"]]})
check(link["status"] == "UPDATING", "the back-link answers UPDATING")

east1.get_waiter("cluster_active").wait(identifier=a["identifier"], WaiterConfig=fast)
east2.get_waiter("cluster_active").wait(identifier=b["identifier"], WaiterConfig=fast)
got = east1.get_cluster(identifier=a["identifier"])
check(got["status"] == "ACTIVE", "ClusterActive waiter, then GetCluster is ACTIVE")
check(set(got["multiRegionProperties"]["clusters"]) == {a["arn"], b["arn"]}, "a linked cluster lists both ARNs")
check(got["tags"] == {"Name": "orders"}, "GetCluster returns the create-time tags")
check(got["encryptionDetails"]["encryptionStatus"] == "ENABLED", "encryption details are parsed")

# Update: protection on and off again.
check(east1.update_cluster(identifier=a["identifier"], deletionProtectionEnabled=True)["status"] == "UPDATING", "UpdateCluster answers UPDATING")
east1.get_waiter("cluster_active").wait(identifier=a["identifier"], WaiterConfig=fast)
check(east1.get_cluster(identifier=a["identifier"])["deletionProtectionEnabled"] is True, "protection is on")

# Error cases.
err = error_of(lambda: east1.delete_cluster(identifier=a["identifier"]))
check(err and err["Error"]["Code"] == "ValidationException" and err["reason"] == "deletionProtectionEnabled", "deleting a protected cluster is a ValidationException")
err = error_of(lambda: east1.get_cluster(identifier="a" * 26))
check(err and err["Error"]["Code"] == "ResourceNotFoundException" and err["ResponseMetadata"]["HTTPStatusCode"] == 404, "an unknown cluster is ResourceNotFoundException")
err = error_of(lambda: east1.tag_resource(resourceArn=a["arn"], tags={"aws:owner": "x"}))
check(err and err["Error"]["Code"] == "ValidationException", "aws: tag keys are refused")
err = error_of(lambda: east1.create_cluster(multiRegionProperties={"witnessRegion": "us-east-1"}))
check(err and err["Error"]["Code"] == "ValidationException" and err["fieldList"][0]["name"] == "multiRegionProperties.witnessRegion", "a witness in the own Region names the member")
east1.update_cluster(identifier=a["identifier"], deletionProtectionEnabled=False)
east1.get_waiter("cluster_active").wait(identifier=a["identifier"], WaiterConfig=fast)

# Tagging.
east1.tag_resource(resourceArn=a["arn"], tags={"team": "data", "env": "test"})
check(east1.list_tags_for_resource(resourceArn=a["arn"])["tags"] == {"Name": "orders", "team": "data", "env": "test"}, "TagResource merges")
east1.untag_resource(resourceArn=a["arn"], tagKeys=["env", "missing"])
check(east1.list_tags_for_resource(resourceArn=a["arn"])["tags"] == {"Name": "orders", "team": "data"}, "UntagResource removes the keys given")

# Pagination in a Region of its own.
west = client("eu-west-1")
made = [west.create_cluster(deletionProtectionEnabled=False)["identifier"] for _ in range(3)]
pages = list(west.get_paginator("list_clusters").paginate(PaginationConfig={"PageSize": 2}))
check([len(p["clusters"]) for p in pages] == [2, 1], "list_clusters paginates at PageSize 2")
check(sorted(c["identifier"] for p in pages for c in p["clusters"]) == sorted(made), "the pages hold every cluster once")
for identifier in made:
    west.delete_cluster(identifier=identifier)

# Delete the pair: the first goes PENDING_DELETE, the second takes both away.
check(east1.delete_cluster(identifier=a["identifier"])["status"] == "PENDING_DELETE", "deleting one linked cluster is PENDING_DELETE")
check(east2.delete_cluster(identifier=b["identifier"])["status"] == "DELETING", "deleting the peer is DELETING")
east1.get_waiter("cluster_not_exists").wait(identifier=a["identifier"], WaiterConfig=fast)
east2.get_waiter("cluster_not_exists").wait(identifier=b["identifier"], WaiterConfig=fast)
check(east1.list_clusters()["clusters"] == [], "ClusterNotExists waiter, then the Region is empty")
print("boto3 " + boto3.__version__ + " botocore " + botocore.__version__ + ": all checks passed")
