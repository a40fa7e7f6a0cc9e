<?xml version="1.0" encoding="UTF-8"?>
<!-- How editorial phrase-level decisions look: choice, del/add, gap, emphasis, quotation, and the loud fallback. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:mode on-no-match="text-only-copy"/>

  <!-- A choice shows the edition's reading (corr, reg, expan; else its first reading), then every
       other reading in brackets with its kind: "Truth [sic Truht]", "den [abbr. d.]", "a [or b]".
       Nothing the source printed is hidden; text.xsl follows the same policy. -->
  <xsl:template match="choice">
    <xsl:variable name="shown" as="element()?" select="(corr, reg, expan, *)[1]"/>
    <span class="choice">
      <xsl:apply-templates select="$shown"/>
      <xsl:for-each select="* except $shown">
        <span class="source-reading"> [<span class="label">{p:reading-label(.)}</span>
          <xsl:text> </xsl:text><xsl:apply-templates select="."/>]</span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <xsl:function name="p:reading-label" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:sequence select="(map{'sic': 'sic', 'orig': 'orig.', 'abbr': 'abbr.'}(local-name($reading)),
                          'or')[1]"/>
  </xsl:function>

  <xsl:template match="corr | reg | sic | orig | expan | abbr">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="sic[not(parent::choice)]">
    <xsl:apply-templates/><span class="source-reading"> [<span class="label">sic</span>]</span>
  </xsl:template>

  <!-- What the source struck out stays readable, struck through; what it added is marked. -->
  <xsl:template match="del">
    <del class="del" title="deleted in the source"><span class="visually-hidden">[deleted: </span><xsl:apply-templates/><span class="visually-hidden">]</span></del>
  </xsl:template>

  <xsl:template match="add">
    <ins class="add" title="added in the source{@place ! (' (' || . || ')')}"><xsl:apply-templates/></ins>
  </xsl:template>

  <xsl:template match="gap">
    <xsl:variable name="why" select="string-join((@reason ! translate(., '-', ' '),
                                     @extent ! ('extent: ' || .)), '; ')"/>
    <span class="gap" title="{if ($why) then 'Omission: ' || $why else 'Omission'}">[…]<span
        class="visually-hidden"> ({if ($why) then 'omission: ' || $why else 'omission'})</span></span>
  </xsl:template>

  <xsl:template match="unclear">
    <span class="unclear" title="unclear reading"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="supplied">
    <span class="supplied">[<xsl:apply-templates/>]</span>
  </xsl:template>

  <xsl:template match="hi">
    <xsl:variable name="rend" select="tokenize(@rend)"/>
    <xsl:choose>
      <xsl:when test="$rend = ('bold', 'b', 'strong')"><strong><xsl:apply-templates/></strong></xsl:when>
      <xsl:when test="$rend = ('sup', 'superscript')"><sup><xsl:apply-templates/></sup></xsl:when>
      <xsl:when test="$rend = ('sub', 'subscript')"><sub><xsl:apply-templates/></sub></xsl:when>
      <xsl:when test="$rend = ('underline', 'u')"><span class="underline"><xsl:apply-templates/></span></xsl:when>
      <xsl:when test="$rend = ('smallcaps', 'small-caps')"><span class="small-caps"><xsl:apply-templates/></span></xsl:when>
      <xsl:otherwise><em><xsl:apply-templates/></em></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="emph"><em><xsl:apply-templates/></em></xsl:template>

  <xsl:template match="foreign | term">
    <i class="{local-name()}">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <xsl:apply-templates/>
    </i>
  </xsl:template>

  <xsl:template match="q | said | soCalled">
    <q class="{local-name()}"><xsl:apply-templates/></q>
  </xsl:template>

  <xsl:template match="quote[not(parent::cit)][ancestor::p or ancestor::item]">
    <q><xsl:apply-templates/></q>
  </xsl:template>

  <xsl:template match="title">
    <cite class="title"><xsl:apply-templates/></cite>
  </xsl:template>

  <xsl:template match="lb"><br/></xsl:template>

  <xsl:template match="seg">
    <span class="{string-join(('seg', @type), ' ')}"><xsl:if test="@xml:id"><xsl:attribute
      name="id" select="@xml:id"/></xsl:if><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Talking about markup (TEI ch. 22): element, attribute and value names. -->
  <xsl:template match="gi"><code class="gi">&lt;<xsl:apply-templates/>&gt;</code></xsl:template>
  <xsl:template match="att"><code class="att">@<xsl:apply-templates/></code></xsl:template>
  <xsl:template match="val"><code class="val">"<xsl:apply-templates/>"</code></xsl:template>
  <xsl:template match="tag | ident | code"><code class="{local-name()}"><xsl:apply-templates/></code></xsl:template>

  <xsl:template match="pb">
    <span class="page-break" title="page break">|<xsl:if test="@n"><span class="page-number">{@n}</span></xsl:if></span>
  </xsl:template>

  <!-- Loud fallback: an element nobody handles keeps its text and is named for the build report. -->
  <xsl:template match="*" priority="-10">
    <span data-tei-unhandled="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>
</xsl:stylesheet>
