"""Pure CloudFormation logic: templates, parameters, the diff, what it grants, how it reads.

Nothing here talks to AWS: no boto3, nothing from `container_infra.aws` (a test enforces it).
"""
