<?xml version="1.0" encoding="UTF-8"?>
<!-- The site index (built by teiedition.site in one pass) and the links every page derives from it. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- The whole-corpus index: documents in reading order, register entries, mentions, dates. -->
  <xsl:param name="site" as="document-node()?" select="()"/>
  <!-- Which whole-corpus page the site-page template writes. -->
  <xsl:param name="page" as="xs:string" select="'index'"/>
  <!-- The page name (s:document/@page) of the document being rendered; '' finds it by its id. -->
  <xsl:param name="document" as="xs:string" select="''"/>
  <!-- The whole record of the document being rendered (its mentions, dates and citations), when
       the page is given it alone: beside it, $site may hold only the documents' attributes. -->
  <xsl:param name="page-record" as="document-node()?" select="()"/>

  <xsl:key name="p:entry" match="s:entry" use="@id"/>
  <xsl:key name="p:document" match="s:document" use="@id"/>
  <xsl:key name="p:page" match="s:document" use="@page"/>
  <xsl:key name="p:holder" match="s:document" use="tokenize(@ids)"/>
  <xsl:key name="p:type" match="s:type" use="@id"/>
  <xsl:key name="p:mentions" match="s:mention" use="@ref"/>

  <xsl:variable name="f:edition" as="document-node()?"
    select="if ($site/s:site/s:edition) then doc($site/s:site/s:edition/@href) else ()"/>
  <xsl:variable name="f:base" as="xs:string" select="string($site/s:site/@base)"/>
  <xsl:variable name="f:registers" as="document-node()*"
    select="$site/s:site/s:register/doc(@href)"/>

  <!-- Register pages by entry kind; names of files, never of an edition's content. -->
  <xsl:function name="f:register-page" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="map{'person': 'persons.html', 'place': 'places.html',
                               'org': 'organisations.html'}($kind)"/>
  </xsl:function>

  <xsl:function name="f:entry" as="element(s:entry)?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="$site ! key('p:entry', $id, .)"/>
  </xsl:function>

  <xsl:function name="f:document" as="element(s:document)?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="($site ! key('p:document', $id, .))[1]"/>
  </xsl:function>

  <!-- The record of the document being rendered: the one given whole, else from the index by its
       page name, else by its id. -->
  <xsl:function name="f:this-document" as="element(s:document)?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="($page-record/s:site/s:document,
                           if ($document) then ($site ! key('p:page', $document, .))[1]
                           else f:document($id))[1]"/>
  </xsl:function>

  <!-- A document's element in the index, among the others in reading order. -->
  <xsl:function name="f:indexed" as="element(s:document)?">
    <xsl:param name="record" as="element(s:document)"/>
    <xsl:sequence select="($site ! key('p:page', f:page-name($record), .))[1]"/>
  </xsl:function>

  <!-- A document's file name without suffix (teiedition.naming: safe in any URL and path). -->
  <xsl:function name="f:page-name" as="xs:string">
    <xsl:param name="document" as="element(s:document)"/>
    <xsl:sequence select="string(($document/@page, $document/@id)[1])"/>
  </xsl:function>

  <xsl:function name="f:document-href" as="xs:string">
    <xsl:param name="document" as="element(s:document)"/>
    <xsl:sequence select="f:page-name($document) || '.html'"/>
  </xsl:function>

  <xsl:function name="f:type-label" as="xs:string">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:sequence select="(($site ! key('p:type', string($type), .))/@label/string(), string($type))[1]"/>
  </xsl:function>

  <xsl:function name="f:mentions" as="element(s:mention)*">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="$site ! key('p:mentions', $id, .)"/>
  </xsl:function>

  <xsl:function name="f:entry-href" as="xs:string?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="f:entry($id) ! (f:register-page(@kind) || '#' || @id)"/>
  </xsl:function>

  <!-- The page URL (relative) for any corpus id a TEI pointer names; empty when unknown. -->
  <xsl:function name="f:pointer-href" as="xs:string?">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:variable name="id" select="substring-after($pointer, '#')"/>
    <xsl:sequence select="if (f:entry($id)) then f:entry-href($id)
      else if (f:document($id)) then f:document-href(f:document($id))
      else ($site ! key('p:holder', $id, .))[1] ! (f:document-href(.) || '#' || $id)"/>
  </xsl:function>

  <!-- The short text a name's popover shows: normalised name and role. -->
  <xsl:function name="f:entry-tip" as="xs:string?">
    <xsl:param name="entry" as="element(s:entry)?"/>
    <xsl:sequence select="$entry ! string-join((@name, @role[. != '']), ' — ')"/>
  </xsl:function>

  <xsl:function name="f:document-label" as="xs:string">
    <xsl:param name="document" as="element(s:document)"/>
    <xsl:sequence select="string-join(($document/@n[. != ''], $document/@title), ' ')"/>
  </xsl:function>

  <xsl:function name="f:edition-title" as="xs:string">
    <xsl:sequence select="normalize-space(($f:edition//titleStmt/title[@type = 'main'],
                          $f:edition//titleStmt/title)[1])"/>
  </xsl:function>
</xsl:stylesheet>
