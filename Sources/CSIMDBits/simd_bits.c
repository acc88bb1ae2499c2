// The header is the module; nothing to compile here.
