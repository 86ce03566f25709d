:; exec bash "$(dirname "$0")/scripts/run_orchestra.sh" "$@" # 
@echo off
rem Gogobe: double-click to build, start the server, open the dashboard and run every scraper once.
rem This file is also a shell script: on Linux/macOS run ./RUN_ORCHESTRA.cmd --demo (the first line hands over to scripts/run_orchestra.sh).
setlocal
cd /d "%~dp0"
where dotnet >nul 2>nul || (echo The .NET 10 SDK is required: https://dotnet.microsoft.com/download & pause & exit /b 1)
echo [orchestra] building (incremental)
dotnet build src\Gogobe.Host -c Release --nologo -v quiet || (pause & exit /b 1)
set "BIN=%~dp0src\Gogobe.Host\bin\Release\net10.0"
if "%GOGOBE_URL%"=="" set "GOGOBE_URL=http://127.0.0.1:8000"
set "DEMO="
for %%A in (%*) do if /I "%%~A"=="--demo" set "DEMO=--demo"
if not exist data mkdir data
curl -fsS -o nul "%GOGOBE_URL%/api/status" 2>nul
if errorlevel 1 (
  echo [orchestra] starting the server at %GOGOBE_URL%
  start "Gogobe server" /min cmd /c "dotnet "%BIN%\gogobe.dll" serve %DEMO% --urls %GOGOBE_URL% > data\serve.log 2>&1"
  powershell -NoProfile -Command "for($i=0;$i -lt 120;$i++){try{Invoke-WebRequest -UseBasicParsing $env:GOGOBE_URL/api/status | Out-Null; exit 0}catch{Start-Sleep -Milliseconds 500}}; exit 1"
)
echo %* | find /I "--no-browser" >nul || start "" "%GOGOBE_URL%/dashboard.html"
set "ARGS="
for %%A in (%*) do if /I not "%%~A"=="--no-browser" call set "ARGS=%%ARGS%% %%A"
dotnet "%BIN%\gogobe.dll" run %ARGS%
echo.
pause
