"""The deploy's steps, which deploy, --execute, --follow, --build and --rollback compose, top to bottom:

plan.py         plan(): the parameters, the forecast, the change set and its diff with drift and validation
show.py         show(): the plan's diff as text, JSON or Markdown
approve.py      approve(): stop on a failed validation or a guarded replacement, else ask (Asking)
apply.py        apply(): execute the change set and follow it to the end
outcome.py      watch_rollout(), print_outputs(), succeeded(): how an operation ends, started here or only followed
unexecuted.py   a change set not executed: deleted again, or kept (--keep) for --execute
forecast.py     what the account would refuse, asked before anything is created
source.py       where the template comes from: a config, a template file, the default stack
"""
