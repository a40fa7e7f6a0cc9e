<?xml version="1.0" encoding="UTF-8"?>
<!-- The print edition's text: TEI blocks and phrases as HTML, notes as CSS footnotes, every
     register mention an anchor the indexes point at. Choice and gap follow the plain-text policy. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:te="urn:teiedition"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all" expand-text="yes">

  <xsl:mode name="print-inline" on-no-match="text-only-copy"/>

  <!-- ===== blocks ===== -->
  <xsl:template match="div" mode="print">
    <section class="div {@type}"><xsl:apply-templates select="*" mode="print"/></section>
  </xsl:template>

  <xsl:template match="div[@type = 'document']/head[1]" mode="print" priority="2">
    <p class="source-head"><xsl:apply-templates mode="print-inline"/></p>
  </xsl:template>

  <xsl:template match="head" mode="print">
    <h2 class="head"><xsl:apply-templates mode="print-inline"/></h2>
  </xsl:template>

  <xsl:template match="p | ab" mode="print">
    <p class="p"><xsl:sequence select="te:anchor(.)"/><xsl:apply-templates mode="print-inline"/></p>
  </xsl:template>

  <xsl:template match="opener | closer | postscript" mode="print">
    <div class="{local-name()}"><xsl:apply-templates select="node()" mode="print"/></div>
  </xsl:template>

  <xsl:template match="dateline | salute | signed | byline | trailer | epigraph | argument" mode="print">
    <p class="{local-name()}"><xsl:apply-templates mode="print-inline"/></p>
  </xsl:template>

  <xsl:template match="(opener | closer)/text()[normalize-space()]" mode="print">
    <p>{.}</p>
  </xsl:template>

  <xsl:template match="list" mode="print">
    <xsl:apply-templates select="head" mode="print"/>
    <!-- Items with their own numbers or letters (@n) print them as the source gives them. -->
    <xsl:element name="{if (@rend = ('numbered', 'ordered') or @type = ('numbered', 'ordered')
                        or item/@n) then 'ol' else 'ul'}">
      <xsl:if test="item/@n"><xsl:attribute name="class" select="'labelled'"/></xsl:if>
      <xsl:for-each select="item">
        <li>
          <xsl:sequence select="te:anchor(.)"/>
          <xsl:if test="../item/@n"><span class="item-label">{te:item-label(.)}</span></xsl:if>
          <xsl:apply-templates mode="print-inline"/>
        </li>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <xsl:template match="quote | lg" mode="print">
    <blockquote><xsl:apply-templates mode="print-inline"/></blockquote>
  </xsl:template>

  <!-- A segment standing as a block: a classification mark in small capitals on its own line. -->
  <xsl:template match="seg" mode="print">
    <p class="{string-join(('seg', @type), ' ')}"><xsl:sequence select="te:anchor(.)"/><xsl:apply-templates
        mode="print-inline"/></p>
  </xsl:template>

  <!-- A bibliographic description: prose as written; a description made only of elements as
       sentences, one per part, as the plain text gives it (te:bibl). -->
  <xsl:template match="bibl" mode="print-bibl">
    <xsl:choose>
      <xsl:when test="text()[normalize-space()]"><xsl:apply-templates mode="print-inline"/></xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="*[normalize-space()]">
          <xsl:if test="position() > 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:choose>
            <xsl:when test="self::bibl"><xsl:apply-templates select="." mode="print-bibl"/></xsl:when>
            <xsl:when test="self::title"><i><xsl:sequence select="te:lang(.)"/><xsl:apply-templates mode="print-inline"/></i></xsl:when>
            <xsl:otherwise><xsl:apply-templates select="." mode="print-inline"/></xsl:otherwise>
          </xsl:choose>
          <xsl:if test="not(self::bibl)">{te:full-stop(te:inline(node()))}</xsl:if>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="gap" mode="print">
    <p class="block-gap"><span class="gap" title="{@reason}">[…]</span></p>
  </xsl:template>

  <xsl:template match="note | figure | fw" mode="print"/>

  <xsl:template match="*" mode="print">
    <xsl:message>unhandled|{base-uri(.)}|{local-name()}</xsl:message>
    <p><xsl:apply-templates mode="print-inline"/></p>
  </xsl:template>

  <!-- ===== phrases ===== -->
  <xsl:template match="text()" mode="print-inline">{replace(., '\s+', ' ')}</xsl:template>
  <xsl:template match="lb" mode="print-inline"><br/></xsl:template>
  <xsl:template match="gap" mode="print-inline"><span class="gap" title="{@reason}">[…]</span></xsl:template>

  <xsl:template match="note" mode="print-inline">
    <span class="footnote" data-n="{te:note-number(.)}"
          id="{(@xml:id, 'note-' || te:tei-id(.) || '-' || te:note-number(.))[1]}">
      <xsl:apply-templates mode="print-inline"/>
    </span>
  </xsl:template>

  <xsl:template match="persName | placeName | orgName | rs" mode="print-inline">
    <xsl:choose>
      <xsl:when test="@ref"><span class="mention" id="{te:mention-id(.)}" data-ref="{@ref}"><xsl:apply-templates mode="print-inline"/></span></xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="print-inline"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- As on the site and in the text: the edition's reading, then every other in brackets. -->
  <xsl:template match="choice" mode="print-inline">
    <xsl:variable name="shown" as="element()?" select="(corr, reg, expan, *)[1]"/>
    <xsl:apply-templates select="$shown/node()" mode="print-inline"/>
    <xsl:for-each select="* except $shown">
      <xsl:text> </xsl:text>
      <span class="source-reading">[{(map{'sic': 'sic', 'orig': 'orig.', 'abbr': 'abbr.'}(local-name()), 'or')[1]}: <xsl:apply-templates select="node()" mode="print-inline"/>]</span>
    </xsl:for-each>
  </xsl:template>
  <xsl:template match="sic[not(parent::choice)]" mode="print-inline"><xsl:apply-templates mode="print-inline"/> [sic]</xsl:template>
  <xsl:template match="unclear" mode="print-inline"><xsl:apply-templates mode="print-inline"/>[?]</xsl:template>
  <xsl:template match="supplied" mode="print-inline">[<xsl:apply-templates mode="print-inline"/>]</xsl:template>
  <xsl:template match="del" mode="print-inline"><del><xsl:apply-templates mode="print-inline"/></del></xsl:template>
  <xsl:template match="fw | figure | pb | cb | milestone | anchor | index" mode="print-inline"/>

  <xsl:template match="hi[tokenize(@rend) = ('italic', 'italics', 'i')] | emph | title[@level = ('j', 'm', 's')]
                       | foreign[not(@xml:lang = ('he', 'ru', 'yi', 'ar'))] | mentioned | term"
                mode="print-inline">
    <i><xsl:sequence select="te:lang(.)"/><xsl:apply-templates mode="print-inline"/></i>
  </xsl:template>
  <xsl:template match="hi[tokenize(@rend) = ('bold', 'b')]" mode="print-inline">
    <b><xsl:apply-templates mode="print-inline"/></b>
  </xsl:template>
  <xsl:template match="hi[tokenize(@rend) = ('superscript', 'sup')]" mode="print-inline">
    <sup><xsl:apply-templates mode="print-inline"/></sup>
  </xsl:template>
  <xsl:template match="hi[tokenize(@rend) = ('smallcaps', 'small-caps')]" mode="print-inline">
    <span style="font-variant: small-caps"><xsl:apply-templates mode="print-inline"/></span>
  </xsl:template>
  <xsl:template match="ref[@target] | ptr[@target]" mode="print-inline">
    <xsl:variable name="content" as="node()*">
      <xsl:apply-templates mode="print-inline"/><xsl:if test="self::ptr">{@target}</xsl:if>
    </xsl:variable>
    <xsl:sequence select="te:link(@target, $content)"/>
  </xsl:template>

  <!-- Phrases kept as their words, with their language where they carry one. -->
  <xsl:template match="hi | foreign | title | q | quote | said | soCalled | name | date | time | num | measure
                       | forename | surname | roleName | addName | geogName | settlement | country | ref
                       | add | corr | reg | orig | abbr | expan | seg | w | c | pc | bibl | biblScope | idno
                       | email | address | addrLine | lang | label | head | s | p | list | item | ab
                       | edition | publisher | pubPlace | textLang | extent | author | editor"
                mode="print-inline">
    <span><xsl:sequence select="te:lang(.)"/><xsl:apply-templates mode="print-inline"/></span>
  </xsl:template>

  <xsl:template match="*" mode="print-inline">
    <xsl:message>unhandled|{base-uri(.)}|{local-name()}</xsl:message>
    <xsl:apply-templates mode="print-inline"/>
  </xsl:template>

  <!-- ===== helpers ===== -->
  <!-- Ids that stay the same from build to build (generate-id() does not across transforms): the
       mention's number among the mentions of its TEI, in document order. -->
  <xsl:function name="te:mention-id" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:sequence select="'m-' || te:tei-id($mention) || '-' || $mention-numbers(generate-id($mention))"/>
  </xsl:function>

  <!-- Every mention's number, counted once per transform (xsl:number level="any" counted the
       mentions before it again at each of the several calls per mention). -->
  <xsl:variable name="mention-numbers" as="map(xs:string, xs:integer)" select="map:merge(
      for $tei in //TEI return
      let $mentions := $tei//(persName | placeName | orgName | rs)[@ref][ancestor::TEI[1] is $tei]
      return for $number in 1 to count($mentions)
             return map:entry(generate-id($mentions[$number]), $number))"/>

  <xsl:function name="te:tei-id" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="tei" select="$node/ancestor-or-self::TEI[1]"/>
    <xsl:sequence select="string(($tei/@xml:id, 'tei' || count($tei/preceding::TEI))[1])"/>
  </xsl:function>

  <xsl:function name="te:anchor" as="attribute()*">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="$element/@xml:id ! te:attribute('id', .)"/>
  </xsl:function>

  <xsl:function name="te:lang" as="attribute()*">
    <xsl:param name="element" as="element()"/>
    <xsl:for-each select="$element/@xml:lang">
      <xsl:attribute name="lang" select="."/>
      <xsl:if test=". = ('he', 'yi', 'ar')"><xsl:attribute name="dir" select="'rtl'"/></xsl:if>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="te:attribute" as="attribute()">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="xs:string"/>
    <xsl:attribute name="{$name}" select="$value"/>
  </xsl:function>
</xsl:stylesheet>
