// Windows service host of the Lagebild agent, compiled on the PC by install.ps1 with the .NET Framework that is
// part of Windows 10/11 (System.ServiceProcess). node.exe cannot answer the Service Control Manager itself; this
// host does, starts the agent of the version named in "current", stops it when Windows asks, and exits with an
// error when the agent ends on its own, so that the service's recovery actions (sc.exe failure) restart it.
using System;
using System.Diagnostics;
using System.IO;
using System.ServiceProcess;
using System.Text;

public sealed class LagebildAgentService : ServiceBase
{
    const string ConfigFile = @"__WINDOWS_CONFIG__";
    const string StateDir = @"__WINDOWS_STATE__";
    const string LogFile = @"__WINDOWS_LOG__";
    const int RollbackAfter = __ROLLBACK_AFTER__;
    readonly string dir = AppDomain.CurrentDomain.BaseDirectory;
    Process child;
    volatile bool stopping;
    readonly object logLock = new object();

    public static void Main() { ServiceBase.Run(new LagebildAgentService()); }

    public LagebildAgentService()
    {
        ServiceName = "__WINDOWS_SERVICE__";
        CanStop = true;
        CanShutdown = true;
    }

    string P(string name) { return Path.Combine(dir, name); }

    // A new version that did not confirm itself after a few starts goes back to the previous one.
    string Version()
    {
        string pending = P("__PENDING__");
        if (File.Exists(pending))
        {
            int n = 0;
            int.TryParse(File.ReadAllText(pending).Trim(), out n);
            n++;
            if (n > RollbackAfter && File.Exists(P("__PREVIOUS__")))
            {
                File.WriteAllText(P("__ROLLED_BACK__"), File.ReadAllText(P("__CURRENT__")));
                File.Copy(P("__PREVIOUS__"), P("__CURRENT__"), true);
                File.Delete(pending);
                Log("the new version did not start; back to the previous one");
            }
            else File.WriteAllText(pending, n.ToString());
        }
        return File.ReadAllText(P("__CURRENT__")).Trim();
    }

    void Log(string line)
    {
        lock (logLock)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(LogFile));
                var info = new FileInfo(LogFile);
                if (info.Exists && info.Length > 5 * 1024 * 1024) File.Copy(LogFile, LogFile + ".1", true);
                if (info.Exists && info.Length > 5 * 1024 * 1024) File.Delete(LogFile);
                File.AppendAllText(LogFile, line + Environment.NewLine, Encoding.UTF8);
            }
            catch (Exception) { }
        }
    }

    protected override void OnStart(string[] args)
    {
        string v = Version();
        string vdir = Path.Combine(P("__VERSIONS__"), v);
        var psi = new ProcessStartInfo(Path.Combine(vdir, @"bin\node.exe"),
            "--use-system-ca --lite-mode \"" + Path.Combine(vdir, @"agent\lagebild-agent.mjs") + "\" run --config \"" + ConfigFile + "\" --dir \"" + StateDir + "\"");
        psi.UseShellExecute = false;
        psi.CreateNoWindow = true;
        psi.WorkingDirectory = vdir;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        // The agent ends cleanly when its standard input closes: Windows has no SIGTERM for a windowless child.
        psi.EnvironmentVariables["LAGEBILD_STOP_ON_STDIN_END"] = "1";
        child = new Process();
        child.StartInfo = psi;
        child.EnableRaisingEvents = true;
        child.OutputDataReceived += (s, e) => { if (e.Data != null) Log(e.Data); };
        child.ErrorDataReceived += (s, e) => { if (e.Data != null) Log(e.Data); };
        child.Exited += (s, e) =>
        {
            if (stopping) return;
            int code = child.ExitCode;
            Log("agent ended with exit code " + code);
            // Not a clean stop: leave with an error so the Service Control Manager restarts us.
            Environment.Exit(code == 0 ? 1 : code);
        };
        child.Start();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
    }

    protected override void OnStop()
    {
        stopping = true;
        if (child == null || child.HasExited) return;
        try { child.StandardInput.Close(); } catch (Exception) { }
        if (!child.WaitForExit(15000))
        {
            // The agent and its collection child: the whole tree.
            var kill = Process.Start(new ProcessStartInfo("taskkill.exe", "/T /F /PID " + child.Id) { UseShellExecute = false, CreateNoWindow = true });
            if (kill != null) kill.WaitForExit(10000);
        }
    }

    protected override void OnShutdown() { OnStop(); }
}
