<?xml version="1.0" encoding="UTF-8"?>
<!-- Names and dates in the reading text (TEI ch. 13): linked to the registers, with a popover. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:function name="f:name-kind" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:sequence select="if ($name/self::rs) then string(($name/@type, 'name')[1])
      else map{'persName': 'person', 'placeName': 'place', 'orgName': 'org'}(local-name($name))"/>
  </xsl:function>

  <xsl:function name="f:is-linked-name" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="exists($node/self::element()[self::persName or self::placeName or self::orgName
      or self::rs or self::name][tokenize(@ref)[starts-with(., '#')][f:entry(substring(., 2))]])"/>
  </xsl:function>

  <xsl:template match="persName | placeName | orgName | rs | name">
    <xsl:variable name="ids" select="tokenize(@ref)[starts-with(., '#')] ! substring(., 2)"/>
    <xsl:variable name="entry" select="if (exists($ids)) then f:entry($ids[1]) else ()"/>
    <xsl:choose>
      <!-- A link never contains a link: a name holding other names ("Government of Israel") is
           split into runs of its own text, each linked to it, around the inner names' links. -->
      <xsl:when test="$entry and descendant::*[f:is-linked-name(.)]">
        <span class="name-group">
          <xsl:for-each-group select="node()" group-adjacent="exists(descendant-or-self::*[f:is-linked-name(.)])">
            <xsl:choose>
              <xsl:when test="current-grouping-key()"><xsl:apply-templates select="current-group()"/></xsl:when>
              <xsl:otherwise>
                <a class="name {$entry/@kind}" href="{f:entry-href($ids[1])}" data-tip="{f:entry-tip($entry)}"
                   data-ref="{$ids[1]}"><xsl:apply-templates select="current-group()"/></a>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each-group>
        </span>
        <xsl:call-template name="p:also-links"><xsl:with-param name="ids" select="tail($ids)"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$entry">
        <a class="name {$entry/@kind}" href="{f:entry-href($ids[1])}" data-tip="{f:entry-tip($entry)}"
           data-ref="{$ids[1]}"><xsl:apply-templates/></a>
        <xsl:call-template name="p:also-links"><xsl:with-param name="ids" select="tail($ids)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <span class="name {if (self::name) then 'name' else f:name-kind(.)}"><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A mention of several entries ("the representatives of Israel"): one small link per further entry. -->
  <xsl:template name="p:also-links">
    <xsl:param name="ids" as="xs:string*"/>
    <xsl:for-each select="$ids[f:entry(.)]">
      <a class="name-also" href="{f:entry-href(.)}" data-tip="{f:entry-tip(f:entry(.))}"
         data-ref="{.}" aria-label="also: {f:entry(.)/@name}">+</a>
    </xsl:for-each>
  </xsl:template>

  <!-- Parts of a name inside a mention are just text. -->
  <xsl:template match="forename | surname | roleName | addName | nameLink | genName | settlement
                       | country | region | district | geogName">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="date | time">
    <xsl:variable name="value" select="f:date-value(.)"/>
    <xsl:variable name="label" select="f:date-label(.)"/>
    <xsl:choose>
      <xsl:when test="$value">
        <time class="date" datetime="{$value}" data-tip="{$label}"><xsl:apply-templates/></time>
      </xsl:when>
      <xsl:otherwise>
        <span class="date" data-tip="{$label}"><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Authority files: a label and a link for each idno type the registers use. -->
  <xsl:variable name="p:authorities" as="map(xs:string, xs:string+)" select="map{
    'wikidata': ('Wikidata', 'https://www.wikidata.org/wiki/'),
    'viaf': ('VIAF', 'https://viaf.org/viaf/'),
    'geonames': ('GeoNames', 'https://www.geonames.org/'),
    'gnd': ('GND', 'https://d-nb.info/gnd/'),
    'loc': ('Library of Congress', 'https://id.loc.gov/authorities/names/'),
    'isni': ('ISNI', 'https://isni.org/isni/')}"/>

  <xsl:function name="f:authority-href" as="xs:string?">
    <xsl:param name="idno" as="element(idno)"/>
    <xsl:variable name="value" select="normalize-space($idno)"/>
    <xsl:sequence select="if (matches($value, '^https?://')) then f:safe-href($value)
      else if (map:contains($p:authorities, string($idno/@type)))
      then $p:authorities(string($idno/@type))[2] || encode-for-uri($value) else ()"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

  <xsl:function name="f:authority-label" as="xs:string">
    <xsl:param name="idno" as="element(idno)"/>
    <xsl:sequence select="($p:authorities(string($idno/@type))[1], string($idno/@type), 'Link')[1]"/>
  </xsl:function>
</xsl:stylesheet>
