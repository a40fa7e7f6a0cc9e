<?xml version="1.0" encoding="UTF-8"?>
<!-- Decisions made once for every output: date labels, safe link targets, note numbers. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:param name="months" as="xs:string*" select="('January', 'February', 'March', 'April', 'May',
    'June', 'July', 'August', 'September', 'October', 'November', 'December')"/>

  <!-- An ISO date (YYYY, YYYY-MM, YYYY-MM-DD) as a reader writes it: "2 March 1951". -->
  <xsl:function name="f:iso-label" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="parts" as="xs:string*" select="tokenize(string($iso), '-')"/>
    <xsl:choose>
      <xsl:when test="not(matches(string($iso), '^\d{4}(-\d{2}(-\d{2})?)?$'))">{$iso}</xsl:when>
      <xsl:when test="count($parts) = 1">{$parts[1]}</xsl:when>
      <xsl:when test="count($parts) = 2">{p:month($parts[2])} {$parts[1]}</xsl:when>
      <xsl:otherwise>{xs:integer($parts[3])} {p:month($parts[2])} {$parts[1]}</xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="p:month" as="xs:string">
    <xsl:param name="number" as="xs:string"/>
    <xsl:sequence select="($months[xs:integer($number)], $number)[1]"/>
  </xsl:function>

  <!-- Any element with @when / @notBefore / @notAfter / @from / @to: exact dates as one label,
       uncertain ones as a range, "?" where @cert is below high. -->
  <xsl:function name="f:date-label" as="xs:string">
    <xsl:param name="date" as="element()?"/>
    <xsl:variable name="start" select="($date/@notBefore, $date/@from)[1]" as="attribute()?"/>
    <xsl:variable name="end" select="($date/@notAfter, $date/@to)[1]" as="attribute()?"/>
    <xsl:variable name="doubt" select="if ($date/@cert = ('low', 'medium', 'unknown')) then ' (?)' else ''"/>
    <xsl:variable name="label" as="xs:string?">
      <xsl:choose>
        <xsl:when test="$date/@when">{f:iso-label($date/@when)}</xsl:when>
        <xsl:when test="$start and $end">{f:iso-label($start)} – {f:iso-label($end)}</xsl:when>
        <xsl:when test="$start">after {f:iso-label($start)}</xsl:when>
        <xsl:when test="$end">before {f:iso-label($end)}</xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:sequence select="if ($label) then $label || $doubt else normalize-space(string($date))"/>
  </xsl:function>

  <!-- The machine-readable value for <time datetime>: a single ISO date, or empty for ranges. -->
  <xsl:function name="f:date-value" as="xs:string?">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="string($date/@when)[matches(., '^\d{4}(-\d{2}(-\d{2})?)?$')]"/>
  </xsl:function>

  <!-- The year(s) an element's date falls in, for facets and sorting. -->
  <xsl:function name="f:year" as="xs:string?">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="substring(($date/@when, $date/@notBefore, $date/@from,
                          $date/@notAfter, $date/@to)[1], 1, 4)[. != '']"/>
  </xsl:function>

  <!-- A link target that is safe to make live: http(s), mailto, a fragment or a relative path.
       Anything else (javascript:, data:, //other-host ...) yields the empty sequence. -->
  <xsl:function name="f:safe-href" as="xs:string?">
    <xsl:param name="target" as="xs:string?"/>
    <xsl:variable name="clean" select="replace(string($target), '[\p{Cc}\s]', '')"/>
    <xsl:sequence select="$clean[. != '']
      [matches(., '^(https?://[^/\\]|mailto:)', 'i')
       or (not(matches(., '^[a-zA-Z][a-zA-Z0-9+.\-]*:')) and not(matches(., '^[/\\]{2}')))]"/>
  </xsl:function>

  <!-- A note's number: its position among the numbered notes of its text. -->
  <xsl:function name="f:note-number" as="xs:integer">
    <xsl:param name="note" as="element(note)"/>
    <xsl:sequence select="count($note/preceding::note[ancestor::text[1] is $note/ancestor::text[1]]
                          [not(ancestor::note)]) + 1"/>
  </xsl:function>

  <!-- The id a note is reached by, generated when the encoding gave none. -->
  <xsl:function name="f:note-id" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:sequence select="($note/@xml:id, 'note-' || generate-id($note))[1]"/>
  </xsl:function>
</xsl:stylesheet>
