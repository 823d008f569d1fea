#Requires -Version 5.1
<#
.SYNOPSIS
    Burns a staged evidock disc with Windows' own IMAPI2, lists the recorders, ejects a disc.

.DESCRIPTION
    Standard Windows only (IMAPI2 is part of every Windows since Vista): nothing is installed.
    The disc is one closed session of UDF 2.50, which Windows, macOS and Linux all read and which
    holds a file of any size; IMAPI2 checks it after the burn (FULL verification), and the
    station's own passes read it back after that.

    Lines on stdout, for the station to read:
      DRIVE<TAB>unique id<TAB>vendor<TAB>product<TAB>revision<TAB>volume paths joined by ,
      PROGRESS <percent>   while the disc is written: whole numbers, never going back
      DONE                 the last line of a burn or an eject that succeeded
    On failure one line on stderr, ERROR <HRESULT as 0x........> <message>, and exit code 1.

    Run by Windows PowerShell 5.1 (powershell.exe): its Register-ObjectEvent binds the events of
    a late-bound COM object, which is how IMAPI2 reports progress. PowerShell 7 is refused rather
    than trusted with them.

.EXAMPLE
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File burn-disc.ps1 -ListDrives
.EXAMPLE
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File burn-disc.ps1 -Burn -Recorder <id> -Source C:\stage\d1 -VolumeId CASE12_D1OF2
.EXAMPLE
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File burn-disc.ps1 -Eject -Recorder <id>
#>
[CmdletBinding(DefaultParameterSetName = 'ListDrives')]
param(
    [Parameter(Mandatory, ParameterSetName = 'ListDrives')]
    [switch]$ListDrives,

    [Parameter(Mandatory, ParameterSetName = 'Burn')]
    [switch]$Burn,

    [Parameter(Mandatory, ParameterSetName = 'Eject')]
    [switch]$Eject,

    # The recorder's unique id, as -ListDrives prints it.
    [Parameter(Mandatory, ParameterSetName = 'Burn')]
    [Parameter(Mandatory, ParameterSetName = 'Eject')]
    [string]$Recorder,

    # The staged folder: it becomes the disc's root.
    [Parameter(Mandatory, ParameterSetName = 'Burn')]
    [string]$Source,

    # The disc's volume id: A-Z, 0-9 and _, at most 32, as the station's plan makes them.
    [Parameter(Mandatory, ParameterSetName = 'Burn')]
    [string]$VolumeId
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Messages from Windows come in its own language (Chinese on most stations); the station reads
# this output as UTF-8.
try {
    [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
} catch {
    # Without a console to set, the encoding stays the system's; the lines parsed are ASCII.
    $null = $_
}

# IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA: only then does an Update say how much is written.
$WritingData = 4
# FsiFileSystemUDF: UDF alone. Its names are Unicode and up to 255 characters, and a file may be
# larger than 4 GiB, none of which ISO 9660 or Joliet allow.
$UdfOnly = 4
# UDF 2.50, as IMAPI2 encodes a revision (1.02 is 0x102).
$Udf250 = 0x250
$E_INVALIDARG = 0x80070057
$E_FAIL = 0x80004005
$UpdateEvent = 'evidock.imapi2.update'

function Write-Line([string]$Text) {
    # [Console] writes at once; Write-Output would wait for the pipeline, and progress with it.
    [Console]::Out.WriteLine($Text)
}

function Write-Note([string]$Text) {
    [Console]::Error.WriteLine("NOTE $Text")
}

function New-Refusal([int]$HResult, [string]$Message) {
    # A COMException carries the HRESULT the ERROR line prints, like IMAPI2's own failures.
    return New-Object System.Runtime.InteropServices.COMException -ArgumentList $Message, $HResult
}

function Write-Failure([System.Management.Automation.ErrorRecord]$Record) {
    # The innermost exception is IMAPI2's own (a COMException with its HRESULT); the ones around
    # it only say which PowerShell call it came through.
    $ex = $Record.Exception
    while ($null -ne $ex.InnerException) { $ex = $ex.InnerException }
    $message = ($ex.Message -replace '\s+', ' ').Trim()
    if ($message -eq '') { $message = 'no message' }
    [Console]::Error.WriteLine(('ERROR 0x{0:X8} {1}' -f $ex.HResult, $message))
}

function Format-Field($Value) {
    # A tab or a line break inside a field would cut the DRIVE line in the wrong places.
    return (([string]$Value) -replace '[\t\r\n]', ' ').Trim()
}

function Assert-RecorderId([string]$Id) {
    # IMAPI2's ids look like \\?\scsi#cdrom&ven_...#{...}: one that could be read as a switch, or
    # that carries quotes or control characters, is none IMAPI2 gave out.
    if ($Id -eq '' -or $Id.StartsWith('-') -or $Id -match '["''\p{Cc}]') {
        throw (New-Refusal $E_INVALIDARG "not a recorder id: $Id")
    }
}

function Assert-VolumeId([string]$Id) {
    # -cmatch: PowerShell's -match ignores case, and a lower-case id is not one the plan makes.
    if ($Id -cnotmatch '^[A-Z0-9_]{1,32}$') {
        throw (New-Refusal $E_INVALIDARG "not a volume id: $Id (A-Z, 0-9 and _, at most 32)")
    }
}

function Assert-StagedFolder([string]$Folder) {
    if ($Folder -notmatch '^[A-Za-z]:\\' -or $Folder -match '\p{Cc}') {
        throw (New-Refusal $E_INVALIDARG "the staged folder must be an absolute path like C:\...: $Folder")
    }
    if (-not (Test-Path -LiteralPath $Folder -PathType Container)) {
        throw (New-Refusal $E_INVALIDARG "no staged folder at $Folder")
    }
    # A disc holds plain files only, as on Linux: IMAPI2 would burn what a link or junction points
    # to, which is not what the station proved.
    $linked = @(Get-ChildItem -LiteralPath $Folder -Recurse -Force |
            Where-Object { ($_.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0 } |
            Select-Object -First 5 | ForEach-Object { $_.FullName })
    if ($linked.Count -gt 0) {
        throw (New-Refusal $E_INVALIDARG ("a disc holds plain files only, not " + ($linked -join ', ')))
    }
}

function Add-BurnVerificationType {
    # IBurnVerification is an IUnknown interface, not part of IDiscFormat2Data's IDispatch, so a
    # script cannot reach BurnVerificationLevel by name; this asks MsftDiscFormat2Data for the
    # interface itself. Windows versions whose IMAPI2 lacks it answer no, and the burn says so.
    if ('Evidock.Imapi.BurnVerification' -as [type]) { return }
    Add-Type -Language CSharp -TypeDefinition @'
using System.Runtime.InteropServices;

namespace Evidock.Imapi {
    [ComImport, Guid("D2FFD834-958B-426D-8470-2A13879C6A91"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
    public interface IBurnVerification {
        // In imapi2.h's order: the setter first.
        [PreserveSig] int put_BurnVerificationLevel(int value);
        [PreserveSig] int get_BurnVerificationLevel(out int value);
    }

    public static class BurnVerification {
        // IMAPI_BURN_VERIFICATION_FULL
        public const int Full = 2;

        // True when the format object took FULL and says so when asked back.
        public static bool RequestFull(object format) {
            IBurnVerification verification = format as IBurnVerification;
            if (verification == null) return false;
            if (verification.put_BurnVerificationLevel(Full) < 0) return false;
            int level;
            return verification.get_BurnVerificationLevel(out level) >= 0 && level == Full;
        }
    }
}
'@
}

# The burn itself, on a thread of its own. A PowerShell thread inside a method call runs no event
# handling until the call returns (PowerShell issue 11065), so with Write on the main thread every
# Update would arrive after the burn. All IMAPI2 objects are made and used on this thread, in the
# multi-threaded apartment, so that no call waits for another thread to pump messages; the main
# thread only listens for Update and prints.
$BurnWork = {
    param([string]$RecorderId, [string]$Folder, [string]$Volume, [hashtable]$Shared)
    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'
    try {
        $refuse = {
            param([string]$Message)
            throw (New-Object System.Runtime.InteropServices.COMException -ArgumentList $Message, $Shared.E_FAIL)
        }
        $recorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
        $recorder.InitializeDiscRecorder($RecorderId)
        $format = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
        if (-not $format.IsRecorderSupported($recorder)) {
            & $refuse 'this drive cannot write data discs'
        }
        if (-not $format.IsCurrentMediaSupported($recorder)) {
            & $refuse 'there is no disc in the drive, or one it cannot write'
        }
        $format.Recorder = $recorder
        $format.ClientName = 'evidock'
        # The drive's own word, not IMAPI2's heuristic: a rewritable disc that ever held data is
        # refused too. Evidence goes onto a blank disc, never over or after anything.
        if (-not $format.MediaPhysicallyBlank) {
            & $refuse 'the disc in the drive is not blank: evidence is burned to a blank disc only'
        }
        # Closed: nothing can be added to the disc after its manifest was signed.
        $format.ForceMediaToBeClosed = $true
        # FULL verification (IMAPI_BURN_VERIFICATION_FULL) re-reads only the last session and
        # compares it with the stream IMAPI2 wrote. That proves the burn, not the files against
        # the hashes the catalogue proved, which is why the station's own passes run after it.
        $Shared.FullVerification = [Evidock.Imapi.BurnVerification]::RequestFull($format.psobject.BaseObject)

        $image = New-Object -ComObject IMAPI2FS.MsftFileSystemImage
        # The medium's size and defaults first; what the station asks for then overrides them.
        $image.ChooseImageDefaults($recorder)
        $image.FileSystemsToCreate = $Shared.UdfOnly
        if (@($image.UDFRevisionsSupported) -notcontains $Shared.Udf250) {
            & $refuse 'IMAPI2 on this Windows cannot write UDF 2.50'
        }
        $image.UDFRevision = $Shared.Udf250
        $image.VolumeName = $Volume
        # The staged folder is already the disc's copy: IMAPI2 reads it at the burn instead of
        # copying every file to the system disk first. Some IMAPI2 versions do not implement
        # the setting (E_NOTIMPL) and keep their own default, which only costs room and time.
        try { $image.StageFiles = $false } catch { $null = $_ }
        $image.Root.AddTree($Folder, $false)
        $stream = $image.CreateResultImage().ImageStream

        $Shared.Format = $format
        [void]$Shared.Subscribed.WaitOne()
        if ($Shared.Abort) { return }
        $format.Write($stream)
        $Shared.Written = $true
    } catch {
        $Shared.Failure = $_
    }
}

function Get-WritePercent($Progress) {
    # Calibrating, finalising and verifying say nothing about how much of the disc is written.
    if ($Progress.CurrentAction -ne $WritingData) { return $null }
    $sectors = [double]$Progress.SectorCount
    if ($sectors -le 0) { return $null }
    $written = [double]$Progress.LastWrittenLba - [double]$Progress.StartLba
    return [int][Math]::Floor([Math]::Min(100.0, [Math]::Max(0.0, 100.0 * $written / $sectors)))
}

function Show-Drives {
    $master = New-Object -ComObject IMAPI2.MsftDiscMaster2
    for ($i = 0; $i -lt $master.Count; $i++) {
        $id = [string]$master.Item($i)
        try {
            $drive = New-Object -ComObject IMAPI2.MsftDiscRecorder2
            $drive.InitializeDiscRecorder($id)
            $volumes = @($drive.VolumePathNames | Where-Object { $null -ne $_ } | ForEach-Object { Format-Field $_ })
            $fields = @('DRIVE', $id, $drive.VendorId, $drive.ProductId, $drive.ProductRevision, ($volumes -join ','))
            Write-Line ((@($fields | ForEach-Object { Format-Field $_ })) -join "`t")
        } catch {
            # One drive that does not answer (a virtual one, one being removed) hides no other.
            Write-Note "recorder $id could not be opened: $($_.Exception.Message)"
        }
    }
}

function Invoke-Eject([string]$Id) {
    Assert-RecorderId $Id
    $drive = New-Object -ComObject IMAPI2.MsftDiscRecorder2
    $drive.InitializeDiscRecorder($Id)
    $drive.EjectMedia()
    Write-Line 'DONE'
}

function Invoke-Burn([string]$Id, [string]$Folder, [string]$Volume) {
    Assert-RecorderId $Id
    Assert-VolumeId $Volume
    Assert-StagedFolder $Folder
    Add-BurnVerificationType

    $subscribed = New-Object System.Threading.ManualResetEvent $false
    $shared = [hashtable]::Synchronized(@{
            Format           = $null
            Subscribed       = $subscribed
            Abort            = $false
            FullVerification = $false
            Written          = $false
            Failure          = $null
            UdfOnly          = $UdfOnly
            Udf250           = $Udf250
            E_FAIL           = $E_FAIL
        })
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.ApartmentState = [System.Threading.ApartmentState]::MTA
    $runspace.ThreadOptions = [System.Management.Automation.Runspaces.PSThreadOptions]::ReuseThread
    $runspace.Open()
    $worker = [powershell]::Create()
    $worker.Runspace = $runspace
    [void]$worker.AddScript($BurnWork.ToString()).AddArgument($Id).AddArgument($Folder).AddArgument($Volume).AddArgument($shared)

    $subscribedHere = $false
    $shown = -1
    try {
        $handle = $worker.BeginInvoke()
        while ($true) {
            $done = $handle.IsCompleted
            if (-not $subscribedHere -and $null -ne $shared.Format) {
                try {
                    $null = Register-ObjectEvent -InputObject $shared.Format -EventName 'Update' -SourceIdentifier $UpdateEvent
                    $subscribedHere = $true
                } catch {
                    # Nothing is written yet: better a blank disc and a reason than a burn the
                    # station cannot follow.
                    $shared.Abort = $true
                    [void]$subscribed.Set()
                    [void]$handle.AsyncWaitHandle.WaitOne()
                    throw
                }
                if (-not $shared.FullVerification) {
                    Write-Note 'IMAPI2 on this Windows offers no FULL verification: the station''s own passes are the only check'
                }
                [void]$subscribed.Set()
            }
            if ($subscribedHere) {
                $null = Wait-Event -SourceIdentifier $UpdateEvent -Timeout 1
                $latest = $null
                foreach ($queued in @(Get-Event -SourceIdentifier $UpdateEvent -ErrorAction SilentlyContinue)) {
                    $latest = $queued
                    Remove-Event -EventIdentifier $queued.EventIdentifier
                }
                if ($null -ne $latest) {
                    try {
                        $percent = Get-WritePercent $latest.SourceArgs[-1]
                    } catch {
                        # A progress reading missed is no reason to stop a burn.
                        $percent = $null
                    }
                    if ($null -ne $percent -and $percent -gt $shown) {
                        $shown = $percent
                        Write-Line "PROGRESS $percent"
                    }
                }
            } else {
                Start-Sleep -Milliseconds 200
            }
            if ($done) { break }
        }
        $worker.EndInvoke($handle) | Out-Null
        if ($null -ne $shared.Failure) { throw $shared.Failure }
        if (-not $shared.Written) { throw (New-Refusal $E_FAIL 'the burn ended without IMAPI2 saying it wrote the disc') }
    } finally {
        if ($subscribedHere) {
            Unregister-Event -SourceIdentifier $UpdateEvent -ErrorAction SilentlyContinue
            Get-Event -SourceIdentifier $UpdateEvent -ErrorAction SilentlyContinue | Remove-Event
        }
        $worker.Dispose()
        $runspace.Dispose()
        $subscribed.Dispose()
    }
    # Write returned without an error: the disc is written, closed and, where IMAPI2 offers it,
    # verified.
    if ($shown -lt 100) { Write-Line 'PROGRESS 100' }
    Write-Line 'DONE'
}

try {
    if ($PSVersionTable.PSEdition -ne 'Desktop') {
        throw (New-Refusal $E_FAIL 'run this with Windows PowerShell 5.1 (powershell.exe), not PowerShell 7')
    }
    switch ($PSCmdlet.ParameterSetName) {
        'ListDrives' { Show-Drives }
        'Burn' { Invoke-Burn -Id $Recorder -Folder $Source -Volume $VolumeId }
        'Eject' { Invoke-Eject -Id $Recorder }
    }
    exit 0
} catch {
    Write-Failure $_
    exit 1
}
