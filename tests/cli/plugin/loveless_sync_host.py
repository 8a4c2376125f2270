"""AWS CLI v2 plugin for a local Step Functions endpoint (loveless serve).

The service model gives StartSyncExecution (and, in newer models, TestState)
the host prefix `sync-`, so the CLI sends those calls to `sync-<endpoint
host>` (`sync-127.0.0.1`), a name that does not resolve. This plugin sends
every Step Functions call to the endpoint as given. Enable it in the
CLI's config file (docs/engine.md, "StartSyncExecution and the sync- host"):

    [plugins]
    cli_legacy_plugin_path = <this directory>
    loveless_sync_host = loveless_sync_host
"""


def awscli_initialize(cli):
    cli.register('before-call.sfn', _drop_sync_prefix)


def _drop_sync_prefix(params, **kwargs):
    params['url'] = params['url'].replace('://sync-', '://', 1)
