"""Every AWS call the tools make, thin: clients and errors, stacks, change sets, events, ECS, ECR, S3, EC2, docker."""
