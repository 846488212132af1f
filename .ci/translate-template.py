"""Prints template.yaml as CloudFormation after the SAM transform, for linters that do not expand SAM themselves.

Run with the SAM CLI's Python (its samtranslator is the one `sam deploy` uses). Local CodeUri/DefinitionUri paths
become placeholder S3 URIs, as `sam package` would make them; no AWS call is made.
"""
import json
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template names managed policies by ARN only, so there is nothing to look up in IAM."""

    def load(self):
        return {}


def main(path):
    with open(path, encoding="utf-8") as source:
        template = yaml_parse(source.read())
    for logical_id, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(properties.get(key), str):
                properties[key] = f"s3://packaged-artifacts/{logical_id}"
    json.dump(transform(template, {}, NoManagedPolicies()), sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
