; The Windows installer: per user (no administrator rights, which office PCs often lack),
; a Start-menu and a desktop shortcut, and an uninstaller that leaves the data in %APPDATA%.
; Built by scripts/package-windows.sh: makensis -INPUTCHARSET UTF8 -DVERSION=… -DSTAGE=… -DOUTFILE=…
; A 64-bit installer for the 64-bit program (Unicode, so the Chinese names survive).
Target amd64-unicode
!include "MUI2.nsh"

!define PRODUCT "机关党员志愿服务管理"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\volunteer-desk"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\volunteer-desk"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define MUI_ICON "${STAGE}/volunteer-desk.ico"
!define MUI_UNICON "${STAGE}/volunteer-desk.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\volunteer-desk.exe"
!insertmacro MUI_PAGE_WELCOME
; Asked on leaving the folder page, so the user stays on it to close the program and go on.
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CloseRunningProgram
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; The program must not run while it is replaced or removed: Windows cannot delete a running
; .exe, so an uninstall took the shortcuts and left the program behind, and an update failed
; half-way. Windows refuses to open a running .exe for writing; that is the test, which also
; sees a command-line run. Nothing is written. Silent runs (/S) give up instead of asking.
!macro CLOSE_RUNNING_PROGRAM un
Function ${un}CloseRunningProgram
retry:
  IfFileExists "$INSTDIR\volunteer-desk.exe" 0 done
  ClearErrors
  FileOpen $0 "$INSTDIR\volunteer-desk.exe" a
  IfErrors 0 free
  MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${PRODUCT}正在运行。$\r$\n请先保存正在录入的内容并关闭程序（包括命令行中运行的），再点“重试”。" /SD IDCANCEL IDRETRY retry
  Abort
free:
  FileClose $0
done:
FunctionEnd
!macroend
!insertmacro CLOSE_RUNNING_PROGRAM ""
!insertmacro CLOSE_RUNNING_PROGRAM "un."

; Before the uninstaller's first page: nothing is removed while the program runs.
Function un.onInit
  Call un.CloseRunningProgram
FunctionEnd

Section "install"
  ; Again for a silent install, which shows no folder page.
  Call CloseRunningProgram
  SetOutPath "$INSTDIR"
  File "${STAGE}/volunteer-desk.exe"
  File "${STAGE}/volunteer-desk.ico"
  File "${STAGE}/使用说明.txt"
  File "${STAGE}/LICENSE.txt"
  File "${STAGE}/LICENSE-OFL.txt"
  File "${STAGE}/THIRD-PARTY-LICENSES.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\volunteer-desk.exe"
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\volunteer-desk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\volunteer-desk.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; The database and its backups in %APPDATA%\jiguan\volunteer-desk stay: they are the office's records.
  Delete "$INSTDIR\volunteer-desk.exe"
  Delete "$INSTDIR\volunteer-desk.ico"
  Delete "$INSTDIR\使用说明.txt"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\LICENSE-OFL.txt"
  Delete "$INSTDIR\THIRD-PARTY-LICENSES.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
