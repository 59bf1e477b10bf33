"""Console-ready parameters: task size with AllowedValues, Rules for the Fargate table, image per container."""

from __future__ import annotations

from troposphere import Equals, Parameter, Ref, Template

from container_infra.config import StackConfig
from container_infra.fargate import ALL_MEMORY_SIZES, CPU_SIZES, FARGATE_MEMORY_BY_CPU, describe_memory_range
from container_infra.naming import TASK_CPU, TASK_MEMORY, image_parameter_id

TASK_SIZE_GROUP = "Task size"
IMAGES_GROUP = "Container images"


def add_task_size_parameters(template: Template, config: StackConfig) -> tuple[Parameter, Parameter]:
    cpu = template.add_parameter(
        Parameter(
            TASK_CPU,
            Type="String",
            Default=str(config.task.cpu),
            AllowedValues=[str(size) for size in CPU_SIZES],
            Description="Fargate CPU units for the task (1024 = 1 vCPU). Each size allows only some memory sizes.",
        )
    )
    memory = template.add_parameter(
        Parameter(
            TASK_MEMORY,
            Type="String",
            Default=str(config.task.memory_mib),
            AllowedValues=[str(size) for size in ALL_MEMORY_SIZES],
            Description="Task memory in MiB; must fit the CPU size (e.g. 512 CPU allows 1024-4096).",
        )
    )
    _label(template, cpu, "CPU units", TASK_SIZE_GROUP)
    _label(template, memory, "Memory (MiB)", TASK_SIZE_GROUP)
    add_fargate_size_rules(template)
    return cpu, memory


def add_fargate_size_rules(template: Template) -> None:
    """One rule per CPU size, so the console refuses a bad CPU/memory pair before anything is made."""
    for cpu, memory_sizes in FARGATE_MEMORY_BY_CPU.items():
        template.add_rule(
            f"FargateMemoryFor{cpu}Cpu",
            {
                "RuleCondition": Equals(Ref(TASK_CPU), str(cpu)),
                "Assertions": [
                    {
                        "Assert": {"Fn::Contains": [[str(size) for size in memory_sizes], Ref(TASK_MEMORY)]},
                        "AssertDescription": (
                            f"With {cpu} CPU units, TaskMemory must be {describe_memory_range(cpu)} MiB."
                        ),
                    }
                ],
            },
        )


def add_image_parameter(template: Template, container_name: str, image: str) -> Parameter:
    parameter = template.add_parameter(
        Parameter(
            image_parameter_id(container_name),
            Type="String",
            Default=image,
            MinLength=1,
            Description=f"Image reference for the container '{container_name}' (registry/name:tag or @sha256 digest).",
        )
    )
    _label(template, parameter, f"Image of {container_name}", IMAGES_GROUP)
    return parameter


def _label(template: Template, parameter: Parameter, label: str, group: str) -> None:
    template.set_parameter_label(parameter, label)
    template.add_parameter_to_group(parameter, group)
