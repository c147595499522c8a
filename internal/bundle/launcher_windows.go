//go:build windows

package bundle

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"unsafe"
)

// execPack runs the pack binary as a child (Windows has no exec) with the
// launcher's arguments, environment and standard handles, and returns its
// exit code.
//
// The engine stops a plugin by interrupting its console process group (the
// child is in it and shuts down itself; the launcher waits for it) or by
// terminating the process it started, the launcher: the launcher first puts
// itself into a job object that kills its processes when its last handle
// closes, so the child dies with it rather than keep the engine's pipes open.
//
// f is the binary, opened from path and hashed. Windows starts a program only
// by name, so the child is started from path once sameFile says path still
// names f; f stays open until the child ends, and Go opens files without
// FILE_SHARE_DELETE, so meanwhile path can be neither renamed, nor deleted,
// nor replaced by another file (see startName).
func execPack(f *os.File, path string, args []string) (int, error) {
	if _, err := startName(f, path, 0); err != nil {
		return 0, err
	}
	killChildrenWithLauncher()
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt) // the child decides how to stop
	defer signal.Stop(interrupts)

	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 0, wrap(err, "starting the pack binary ", path, ": ", err.Error())
	}
	return 0, nil
}

func ownedByCurrentUser(os.FileInfo) bool { return true }

// fdExecPath: Windows starts programs by name only.
func fdExecPath(int) string { return "" }

var (
	kernel32                     = syscall.NewLazyDLL("kernel32.dll")
	procCreateJobObjectW         = kernel32.NewProc("CreateJobObjectW")
	procSetInformationJobObject  = kernel32.NewProc("SetInformationJobObject")
	procAssignProcessToJobObject = kernel32.NewProc("AssignProcessToJobObject")
)

// jobExtendedLimitInformation is JOBOBJECT_EXTENDED_LIMIT_INFORMATION.
type jobExtendedLimitInformation struct {
	PerProcessUserTimeLimit int64
	PerJobUserTimeLimit     int64
	LimitFlags              uint32
	MinimumWorkingSetSize   uintptr
	MaximumWorkingSetSize   uintptr
	ActiveProcessLimit      uint32
	Affinity                uintptr
	PriorityClass           uint32
	SchedulingClass         uint32
	IoInfo                  [6]uint64 // IO_COUNTERS
	ProcessMemoryLimit      uintptr
	JobMemoryLimit          uintptr
	PeakProcessMemoryUsed   uintptr
	PeakJobMemoryUsed       uintptr
}

const (
	jobObjectExtendedLimitInformationClass = 9
	jobObjectLimitKillOnJobClose           = 0x2000
)

// killChildrenWithLauncher puts the launcher into a new job object that
// kills every process in it when the launcher's handle to it closes, that is
// when the launcher exits or is terminated; the child started afterwards
// joins the job. Best effort: without it the pack still stops on its own once
// the engine is gone.
func killChildrenWithLauncher() {
	job, _, _ := procCreateJobObjectW.Call(0, 0)
	if job == 0 {
		return
	}
	var info jobExtendedLimitInformation
	info.LimitFlags = jobObjectLimitKillOnJobClose
	ok, _, _ := procSetInformationJobObject.Call(job, jobObjectExtendedLimitInformationClass,
		uintptr(unsafe.Pointer(&info)), unsafe.Sizeof(info))
	if ok == 0 {
		syscall.CloseHandle(syscall.Handle(job))
		return
	}
	self, err := syscall.GetCurrentProcess()
	if err != nil {
		syscall.CloseHandle(syscall.Handle(job))
		return
	}
	if ok, _, _ := procAssignProcessToJobObject.Call(job, uintptr(self)); ok == 0 {
		syscall.CloseHandle(syscall.Handle(job))
	}
	// The handle stays open for the launcher's lifetime on purpose.
}
