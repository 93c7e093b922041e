// Entry point of the `kanade` tool: everything lives in the command tree.
return Kanade.Cli.KanadeCli.Run(args);
