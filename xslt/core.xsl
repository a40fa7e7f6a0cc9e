<?xml version="1.0" encoding="UTF-8"?>
<!-- Core elements (TEI ch. 3): paragraphs, headings, lists, block quotation, references, tables. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- Every xml:id becomes the HTML id, so each passage is reachable at #its-id. -->
  <xsl:template name="f:id-and-lang">
    <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
  </xsl:template>

  <xsl:template match="p | ab">
    <p><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></p>
  </xsl:template>

  <!-- A heading one level below its division's depth, never beyond h6. -->
  <xsl:template match="head">
    <xsl:variable name="level" select="min((6, count(ancestor::div) + 1))"/>
    <xsl:element name="h{$level}">
      <xsl:call-template name="f:id-and-lang"/>
      <xsl:attribute name="class" select="'tei-head'"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="list">
    <xsl:apply-templates select="head"/>
    <xsl:element name="{if (@type = ('ordered', 'numbered') or @rend = 'numbered') then 'ol' else 'ul'}">
      <xsl:call-template name="f:id-and-lang"/>
      <xsl:attribute name="class" select="string-join(('list', @type), ' ')"/>
      <xsl:apply-templates select="* except head"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="list/head" priority="2">
    <p class="list-head"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="item">
    <li><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="label[parent::list]">
    <li class="label"><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="quote | cit">
    <blockquote><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></blockquote>
  </xsl:template>

  <xsl:template match="cit/bibl">
    <footer class="cit-source"><xsl:apply-templates/></footer>
  </xsl:template>

  <!-- A structured reference (parts without connecting text): its parts joined by commas. -->
  <xsl:template match="bibl[not(text()[normalize-space()])]" priority="2">
    <span class="bibl"><xsl:call-template name="f:id-and-lang"/>
      <xsl:for-each select="*">
        <xsl:if test="position() gt 1">, </xsl:if>
        <xsl:apply-templates select="."/>
      </xsl:for-each>
    </span>
  </xsl:template>

  <xsl:template match="relatedItem">
    <span class="relatedItem">{if (@type = 'original') then 'original: ' else ''}<xsl:apply-templates select="*"/></span>
  </xsl:template>

  <xsl:template match="bibl/title[@level = ('m', 'j', 's')] | bibl/title[not(@level)][1]" priority="2">
    <cite class="title"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></cite>
  </xsl:template>

  <xsl:template match="biblScope[@unit][matches(normalize-space(.), '^[\d.,\-–\s]+$')]" priority="2">
    <span class="biblScope">{@unit} {normalize-space(.)}</span>
  </xsl:template>

  <xsl:template match="bibl | biblScope | edition | textLang | extent | publisher | pubPlace | author | editor | idno[not(parent::person | parent::place | parent::org)]">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- A reference is a live link only when its target is safe and resolvable. -->
  <xsl:template match="ref | ptr">
    <xsl:variable name="target" select="tokenize(@target)[1]"/>
    <xsl:variable name="href" select="if (starts-with($target, '#')) then f:pointer-href($target)
                                      else f:safe-href($target)"/>
    <xsl:choose>
      <xsl:when test="$href">
        <a href="{$href}"><xsl:apply-templates/><xsl:if test="self::ptr">{@target}</xsl:if></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="ref"><xsl:apply-templates/><xsl:if test="self::ptr">{@target}</xsl:if></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="lg">
    <div class="lg"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="l">
    <span class="l"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="table">
    <div class="table-wrap">
      <table><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></table>
    </div>
  </xsl:template>

  <xsl:template match="table/head" priority="2"><caption><xsl:apply-templates/></caption></xsl:template>
  <xsl:template match="row"><tr><xsl:apply-templates/></tr></xsl:template>
  <xsl:template match="cell">
    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="milestone | anchor">
    <xsl:if test="@xml:id"><span id="{@xml:id}"/></xsl:if>
  </xsl:template>
</xsl:stylesheet>
