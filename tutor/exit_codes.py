"""The `tutor` command's exit codes, shared by the command line and its parser.

0 done; 1 the command could not do its job (a broken lesson, an unwritable
file, a busy port, a reset not confirmed, no terminal, a crash); 2 the
command line is wrong (unknown lesson, scene or option, a value out of
range); 130 interrupted (Ctrl+C); 143 stopped by SIGTERM (129 by SIGHUP), the
terminal restored first.
"""
OK, FAILED, USAGE, INTERRUPTED, TERMINATED = 0, 1, 2, 130, 143
