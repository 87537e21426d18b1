<#
.SYNOPSIS
    Turns module/help/en-US/<Cmdlet>.md into the MAML file PowerShell reads (en-US/IndexTools.dll-Help.xml).
.DESCRIPTION
    Our own generator (platyPS is not available here). The markdown form:

        # Verb-Noun
        ## SYNOPSIS            one paragraph
        ## DESCRIPTION         paragraphs
        ## EXAMPLES
        ### Example 1: title  then a ```powershell fence, then remarks paragraphs
        ## PARAMETERS
        ### -Name             its description
        ## INPUTS / ## OUTPUTS
        ### Type.Name         its description
        ## NOTES               paragraphs
        ## RELATED LINKS       - [text](uri) or plain lines

    Syntax, parameter types, positions, pipeline input and aliases come from the cmdlet classes in the built
    IndexTools.dll (-ModulePath), read by reflection; the cmdlet list is the manifest's CmdletsToExport.
    It fails when a cmdlet has no markdown, or the markdown lacks a synopsis, a description, two examples or the
    description of a parameter, or describes a parameter the cmdlet does not have.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Source,
    [Parameter(Mandatory)] [string] $Destination,
    # The built module folder; its manifest's CmdletsToExport is the list of cmdlets to document.
    [Parameter(Mandatory)] [string] $ModulePath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$NS = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Read-HelpMarkdown([string] $Path) {
    $doc = [ordered] @{ Name = ''; Synopsis = ''; Description = ''; Examples = @(); Parameters = [ordered] @{}; Inputs = @(); Outputs = @(); Notes = ''; Links = @() }
    $section = ''; $sub = $null; $buffer = [System.Collections.Generic.List[string]]::new()
    $flush = {
        $text = ($buffer -join "`n").Trim()
        switch ($section) {
            'SYNOPSIS' { $doc.Synopsis = $text }
            'DESCRIPTION' { $doc.Description = $text }
            'NOTES' { $doc.Notes = $text }
            'EXAMPLES' {
                if ($null -ne $sub) {
                    $m = [regex]::Match($text, '(?s)```[a-zA-Z]*\n(.*?)\n```(.*)')
                    $code = if ($m.Success) { $m.Groups[1].Value } else { '' }
                    $remarks = if ($m.Success) { $m.Groups[2].Value.Trim() } else { $text }
                    $script:examples += , ([pscustomobject] @{ Title = $sub; Code = $code; Remarks = $remarks })
                }
            }
            'PARAMETERS' { if ($null -ne $sub) { $doc.Parameters[$sub.TrimStart('-')] = $text } }
            'INPUTS' { if ($null -ne $sub) { $script:inputs += , ([pscustomobject] @{ Type = $sub; Description = $text }) } }
            'OUTPUTS' { if ($null -ne $sub) { $script:outputs += , ([pscustomobject] @{ Type = $sub; Description = $text }) } }
            'RELATED LINKS' { $script:links += @($buffer | Where-Object { $_.Trim() }) }
        }
        $buffer.Clear()
    }
    $script:examples = @(); $script:inputs = @(); $script:outputs = @(); $script:links = @()
    $inFence = $false
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^# (\S+)\s*$') { $doc.Name = $Matches[1]; continue }
        if (-not $inFence -and $line -match '^## (.+?)\s*$') { & $flush; $section = $Matches[1].ToUpperInvariant(); $sub = $null; continue }
        if (-not $inFence -and $line -match '^### (.+?)\s*$') { & $flush; $sub = $Matches[1]; continue }
        $buffer.Add($line)
    }
    & $flush
    $doc.Examples = $script:examples; $doc.Inputs = $script:inputs; $doc.Outputs = $script:outputs; $doc.Links = $script:links
    return $doc
}

function Write-Paragraphs([System.Xml.XmlWriter] $w, [string] $text) {
    $paragraphs = @(($text -split "\n\s*\n") | ForEach-Object { ($_ -split "\n" | ForEach-Object { $_.Trim() }) -join ' ' } | Where-Object { $_ })
    if ($paragraphs.Count -eq 0) { $paragraphs = @('') }
    foreach ($p in $paragraphs) { $w.WriteElementString('maml', 'para', $NS.maml, $p) }
}

function Write-Parameter([System.Xml.XmlWriter] $w, $parameter, $setParameter, [string] $description) {
    $isSwitch = $parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $pipeline = @()
    if ($setParameter.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($setParameter.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
    $position = if ($setParameter.Position -ge 0) { [string] $setParameter.Position } else { 'named' }
    $aliases = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }
    $w.WriteStartElement('command', 'parameter', $NS.command)
    $w.WriteAttributeString('required', ([string] $setParameter.IsMandatory).ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ([string] $parameter.ParameterType.IsArray).ToLowerInvariant())
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('pipelineInput', $pipelineText)
    $w.WriteAttributeString('position', $position)
    $w.WriteAttributeString('aliases', $aliases)
    $w.WriteElementString('maml', 'name', $NS.maml, $parameter.Name)
    $w.WriteStartElement('maml', 'description', $NS.maml); Write-Paragraphs $w $description; $w.WriteEndElement()
    $typeName = $parameter.ParameterType.Name
    $validateSet = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
    $enumType = $parameter.ParameterType
    if ($enumType.IsGenericType -and $enumType.GetGenericTypeDefinition() -eq [Nullable`1]) { $enumType = $enumType.GetGenericArguments()[0] }
    $values = if ($validateSet) { $validateSet[0].ValidValues } elseif ($enumType.IsEnum) { [Enum]::GetNames($enumType) } else { @() }
    if (-not $isSwitch) {
        $w.WriteStartElement('command', 'parameterValue', $NS.command)
        $w.WriteAttributeString('required', 'true'); $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($(if ($values) { $values -join ' | ' } else { $typeName }))
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $NS.dev); $w.WriteElementString('maml', 'name', $NS.maml, $parameter.ParameterType.FullName); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $NS.dev, 'None')
    $w.WriteEndElement()
}

# The cmdlets to document: the manifest's CmdletsToExport.
$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'IndexTools.psd1')
$cmdletNames = @($manifest.CmdletsToExport | Sort-Object)

# Parameter metadata straight from the cmdlet classes (CommandMetadata over each type), without importing the
# module: no initializer runs and the engine is never loaded into the build's process.
$assembly = [System.Reflection.Assembly]::LoadFrom((Join-Path $ModulePath 'IndexTools.dll'))
$cmdletTypes = @{}
foreach ($type in $assembly.GetExportedTypes()) {
    $attribute = [System.Attribute]::GetCustomAttribute($type, [System.Management.Automation.CmdletAttribute])
    if ($attribute) { $cmdletTypes["$($attribute.VerbName)-$($attribute.NounName)"] = $type }
}

$problems = [System.Collections.Generic.List[string]]::new()
$settings = [System.Xml.XmlWriterSettings]::new(); $settings.Indent = $true; $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
New-Item -ItemType Directory -Force (Split-Path -Parent $Destination) | Out-Null
$w = [System.Xml.XmlWriter]::Create($Destination, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
foreach ($name in $cmdletNames) {
    $file = Join-Path $Source "$name.md"
    if (-not (Test-Path $file)) { $problems.Add("$name has no help source ($file)."); continue }
    $doc = Read-HelpMarkdown $file
    $metadata = [System.Management.Automation.CommandMetadata]::new($cmdletTypes[$name])
    $parameters = @($metadata.Parameters.Values | Where-Object { $common -notcontains $_.Name } | Sort-Object Name)
    if (-not $cmdletTypes.ContainsKey($name)) { $problems.Add("$name is exported by the manifest but IndexTools.dll has no such cmdlet."); continue }
    if (-not $doc.Synopsis) { $problems.Add("$name has no SYNOPSIS.") }
    if (-not $doc.Description) { $problems.Add("$name has no DESCRIPTION.") }
    if ($doc.Examples.Count -lt 2) { $problems.Add("$name has $($doc.Examples.Count) example(s); at least 2 are required.") }
    foreach ($p in $parameters) { if (-not $doc.Parameters.Contains($p.Name) -or -not $doc.Parameters[$p.Name]) { $problems.Add("$name -$($p.Name) has no description.") } }
    foreach ($documented in $doc.Parameters.Keys) { if (-not ($parameters.Name -contains $documented)) { $problems.Add("$name documents -$documented, which it does not have.") } }

    $verb, $noun = $name -split '-', 2
    $w.WriteStartElement('command', 'command', $NS.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $NS.maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $NS.dev)
    $w.WriteStartElement('command', 'details', $NS.command)
    $w.WriteElementString('command', 'name', $NS.command, $name)
    $w.WriteElementString('command', 'verb', $NS.command, $verb)
    $w.WriteElementString('command', 'noun', $NS.command, $noun)
    $w.WriteStartElement('maml', 'description', $NS.maml); Write-Paragraphs $w $doc.Synopsis; $w.WriteEndElement()
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $NS.maml); Write-Paragraphs $w $doc.Description; $w.WriteEndElement()

    $w.WriteStartElement('command', 'syntax', $NS.command)
    $sets = @($metadata.Parameters.Values | ForEach-Object { $_.ParameterSets.Keys } | Where-Object { $_ -ne '__AllParameterSets' } | Sort-Object -Unique)
    if ($sets.Count -eq 0) { $sets = @('__AllParameterSets') }
    foreach ($set in $sets) {
        $w.WriteStartElement('command', 'syntaxItem', $NS.command)
        $w.WriteElementString('maml', 'name', $NS.maml, $name)
        $inSet = foreach ($p in $parameters) {
            $sp = if ($p.ParameterSets.ContainsKey($set)) { $p.ParameterSets[$set] } elseif ($p.ParameterSets.ContainsKey('__AllParameterSets')) { $p.ParameterSets['__AllParameterSets'] } else { $null }
            if ($sp) { [pscustomobject] @{ P = $p; S = $sp; Key = $(if ($sp.Position -ge 0) { $sp.Position } else { 1000 }) } }
        }
        foreach ($entry in @($inSet | Sort-Object Key, { $_.P.Name })) {
            Write-Parameter $w $entry.P $entry.S $(if ($doc.Parameters.Contains($entry.P.Name)) { $doc.Parameters[$entry.P.Name] } else { '' })
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $NS.command)
    foreach ($p in $parameters) {
        $sp = @($p.ParameterSets.Values)[0]
        Write-Parameter $w $p $sp $(if ($doc.Parameters.Contains($p.Name)) { $doc.Parameters[$p.Name] } else { '' })
    }
    $w.WriteEndElement()

    foreach ($kind in @(@{ List = 'inputTypes'; Item = 'inputType'; Values = $doc.Inputs }, @{ List = 'returnValues'; Item = 'returnValue'; Values = $doc.Outputs })) {
        $w.WriteStartElement('command', $kind.List, $NS.command)
        foreach ($entry in $kind.Values) {
            $w.WriteStartElement('command', $kind.Item, $NS.command)
            $w.WriteStartElement('dev', 'type', $NS.dev); $w.WriteElementString('maml', 'name', $NS.maml, $entry.Type); $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $NS.maml); Write-Paragraphs $w $entry.Description; $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    if ($doc.Notes) {
        $w.WriteStartElement('maml', 'alertSet', $NS.maml); $w.WriteStartElement('maml', 'alert', $NS.maml); Write-Paragraphs $w $doc.Notes; $w.WriteEndElement(); $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $NS.command)
    foreach ($example in $doc.Examples) {
        $w.WriteStartElement('command', 'example', $NS.command)
        $w.WriteElementString('maml', 'title', $NS.maml, "-------------------------- $($example.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $NS.dev, $example.Code)
        $w.WriteStartElement('dev', 'remarks', $NS.dev); Write-Paragraphs $w $example.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $NS.command)
    foreach ($link in $doc.Links) {
        $text = $link.Trim().TrimStart('-', '*', ' '); $uri = ''
        if ($text -match '^\[(.+?)\]\((.*?)\)$') { $text = $Matches[1]; $uri = $Matches[2] }
        $w.WriteStartElement('maml', 'navigationLink', $NS.maml)
        $w.WriteElementString('maml', 'linkText', $NS.maml, $text)
        $w.WriteElementString('maml', 'uri', $NS.maml, $uri)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()

if ($problems.Count -gt 0) {
    Remove-Item $Destination -ErrorAction SilentlyContinue
    throw "Help sources are incomplete:`n  " + ($problems -join "`n  ")
}
Write-Host "Help: $($cmdletNames.Count) cmdlet(s) -> $Destination"
