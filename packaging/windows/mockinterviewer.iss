; Inno Setup script: a Windows installer for the one-folder build.
; Build the folder first (pyinstaller --noconfirm packaging\mockinterviewer.spec), then from the
; repository root:   iscc /DAppVersion=0.1.0 packaging\windows\mockinterviewer.iss
; Output: dist\MockInterviewer-<version>-windows-x64-setup.exe

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Root "..\.."

[Setup]
AppId={{7C1F3E52-5B7A-4C0E-9E0B-6A4D2B9F1C31}
AppName=Mock Interviewer
AppVersion={#AppVersion}
AppPublisher=Mock Interviewer developers
DefaultDirName={autopf}\Mock Interviewer
DefaultGroupName=Mock Interviewer
DisableProgramGroupPage=yes
; Per-user install by default (no administrator rights needed); the user may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile={#Root}\LICENSE
SetupIconFile={#Root}\build\pyinstaller\mockinterviewer\icons\mockinterviewer.ico
UninstallDisplayIcon={app}\mockinterviewer.exe
OutputDir={#Root}\dist
OutputBaseFilename=MockInterviewer-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; mockinterviewer.exe (the window, no console), mockinterviewer-cli.exe (the command line) and _internal\
Source: "{#Root}\dist\MockInterviewer\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Mock Interviewer"; Filename: "{app}\mockinterviewer.exe"
Name: "{autodesktop}\Mock Interviewer"; Filename: "{app}\mockinterviewer.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\mockinterviewer.exe"; Description: "{cm:LaunchProgram,Mock Interviewer}"; Flags: nowait postinstall skipifsilent
