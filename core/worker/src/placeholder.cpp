// replaced by the worker SDK sources
