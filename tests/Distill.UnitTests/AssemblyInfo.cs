using System.Runtime.Versioning;

// The launcher under test drives POSIX processes and file modes.
[assembly: SupportedOSPlatform("linux")]
