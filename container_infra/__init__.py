"""container-infra: an ECS Fargate web app as plain, reviewable CloudFormation."""
